// Types of the swhost package (index.js). See README.md and docs/testing.md.

/// <reference types="node" />
import type { Server } from 'node:http';

export interface HostOptions {
  /** origin → a directory to serve it from, or the URL of a running server (a dev server) */
  origins?: Record<string, string>;
  /** the swhost binary (default: findBinary()) */
  bin?: string;
  /** 'manual' (default): serve runs with --clock manual, time moves only by host.clock */
  clock?: 'manual' | 'real';
  /** more `swhost serve` flags */
  args?: string[];
  /** origins to start offline */
  offline?: string[];
  /** keep the temporary data directory on close */
  keepData?: boolean;
}

export type ScopePattern = { baseUrl?: string; protocol?: string; hostname?: string; port?: string; pathname?: string; path?: string; search?: string; hash?: string };

export interface RegisterOptions {
  /** a scope URL (relative to the script) or a URL pattern object */
  scope?: string | ScopePattern;
  type?: 'classic' | 'module';
  updateViaCache?: 'imports' | 'all' | 'none';
  /** the registering page's URL (default: the scope, else the script's origin + '/') */
  client?: string;
}

export type VersionState = 'parsed' | 'installing' | 'installed' | 'activating' | 'activated' | 'redundant';

export interface VersionInfo {
  id: number;
  slot: 'active' | 'waiting' | 'installing';
  state: VersionState;
  scriptURL: string;
  running: boolean;
  [key: string]: unknown;
}

/** The admin API's registration object, with its versions by slot. */
export interface Registration {
  id: number;
  scope: string | ScopePattern;
  prefix: string;
  origin: string;
  updateViaCache: 'imports' | 'all' | 'none';
  type: 'classic' | 'module';
  lastUpdateCheck?: string;
  clients: string[];
  versions: VersionInfo[];
  active: VersionInfo | null;
  waiting: VersionInfo | null;
  installing: VersionInfo | null;
  [key: string]: unknown;
}

export interface HostFetchInit {
  /** the requesting page's URL (default: the URL's origin + '/'; a request for it is a navigation), or an opened client */
  client?: string | HostClient;
  mode?: 'navigate' | 'same-origin' | 'no-cors' | 'cors';
  method?: string;
  headers?: HeadersInit;
  body?: string;
}

/** What a client gets, and which layer answered. */
export interface HostResponse extends Response {
  /** 'fetch-event', 'foreign-fetch', 'http-cache' or 'network' */
  readonly servedBy: 'fetch-event' | 'foreign-fetch' | 'http-cache' | 'network';
  /** the worker that answered, or '' */
  readonly scriptURL: string;
  readonly latencyMs: number;
}

/** A response stored in Cache Storage. */
export interface StoredResponse extends Response {
  readonly cacheName: string;
}

export interface CacheEntry {
  method: string;
  url: string;
  status: number;
  statusText: string;
  type: string;
  headers: Record<string, string[]>;
  bodyBytes: number;
}

export interface TriggerOptions {
  /** push: the data (a string, or JSON-encoded); message: the JSON value posted */
  data?: unknown;
  /** sync, periodicsync: the tag */
  tag?: string;
  lastChance?: boolean;
  /** notificationclick, notificationclose: the notification's id or tag */
  notification?: string;
  action?: string;
  /** message: the posting window's URL */
  client?: string;
}

export interface NotificationInfo {
  id: string;
  title: string;
  body?: string;
  tag?: string;
  data?: unknown;
  [key: string]: unknown;
}

export interface TriggerResult {
  /** 'fulfilled', or the exception or rejection that failed the event */
  outcome: string;
  notifications: NotificationInfo[];
  messages: { clientId: string; clientURL: string; data: unknown }[];
  windows: string[];
}

export interface IDBStoreInfo {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  records: number;
  indexes: { name: string; keyPath: string | string[] | null; unique: boolean; multiEntry: boolean }[];
}

export interface IDBDatabaseInfo {
  name: string;
  version: number;
  stores: IDBStoreInfo[];
}

/** A record; keys and values as inspect JSON (`{"$type": ...}` for what JSON cannot hold). */
export interface IDBRecordInfo {
  key: unknown;
  primaryKey?: unknown;
  ref: string;
  value: unknown;
  truncated?: boolean;
}

export interface IDBDump {
  name: string;
  version: number;
  stores: Record<string, IDBRecordInfo[]>;
}

export interface ClientEvent {
  type: 'message' | 'controllerchange';
  data?: unknown;
  /** the worker's script URL */
  source: string;
  /** the client's events are numbered from 1, in order */
  seq: number;
}

export interface HostEvent {
  seq: number;
  time: string;
  type: 'lifecycle' | 'fetch' | 'console' | 'connect' | 'message' | string;
  data: Record<string, any>;
}

export class SwhostError extends Error {
  /** the web exception name: TypeError, SecurityError, InvalidStateError, InstallError, ... */
  readonly errorName: string;
  /** the admin API's HTTP status */
  readonly status: number;
}

export class ClockUnavailableError extends Error {
  readonly code: 'ERR_SWHOST_NO_CLOCK';
}

export class HostClock {
  /** whether serve runs with the manual clock */
  available(): Promise<boolean>;
  /** the host's time, ms since the epoch */
  now(): Promise<number>;
  /** moves workers' Date.now() and timers, HTTP cache freshness and cache expiry ahead; the new time */
  advance(ms: number): Promise<number>;
  set(ms: number): Promise<number>;
}

export class HostCaches {
  readonly origin: string;
  keys(): Promise<string[]>;
  has(name: string): Promise<boolean>;
  entries(name: string): Promise<CacheEntry[]>;
  urls(name: string): Promise<string[]>;
  match(url: string, options?: { cacheName?: string; ignoreSearch?: boolean }): Promise<StoredResponse | undefined>;
}

export class HostIndexedDB {
  readonly origin: string;
  databases(): Promise<IDBDatabaseInfo[]>;
  records(db: string, store: string, options?: { index?: string }): Promise<IDBRecordInfo[]>;
  dump(db: string): Promise<IDBDump>;
}

export class HostClient {
  readonly id: string;
  readonly url: string;
  /** the controlling registration's id when opened, or null */
  readonly controller: number | null;
  postMessage(data: unknown, options?: { worker?: 'active' | 'waiting' | 'installing'; registration?: Registration | number }): Promise<{ outcome: string }>;
  /** waits for the next event (of a type), rejecting after options.timeout ms (default 10000) */
  nextEvent(type?: 'message' | 'controllerchange', options?: { timeout?: number }): Promise<ClientEvent>;
  nextMessage(options?: { timeout?: number }): Promise<any>;
  /** a request from this client */
  fetch(url: string, init?: Omit<HostFetchInit, 'client'>): Promise<HostResponse>;
  close(): Promise<void>;
}

export class HostEvents implements AsyncIterable<HostEvent> {
  /** resolves when the stream is connected */
  readonly ready: Promise<void>;
  /** every event received so far */
  readonly received: HostEvent[];
  waitFor(match: string | ((ev: HostEvent) => boolean), options?: { timeout?: number; from?: number }): Promise<HostEvent>;
  /** console messages received so far, as 'level: message' */
  console(): string[];
  [Symbol.asyncIterator](): AsyncIterator<HostEvent>;
  close(): void;
}

export class Host {
  readonly dataDir: string;
  readonly adminURL: string;
  readonly token: string;
  readonly origins: Record<string, string>;
  readonly manualClock: boolean;
  readonly clock: HostClock;
  /** serve's stderr (its log), at most 64 KiB */
  readonly log: string;
  api(method: string, pathAndQuery: string, body?: unknown): Promise<any>;
  register(scriptURL: string, options?: RegisterOptions): Promise<Registration>;
  registration(reg: Registration | number): Promise<Registration>;
  registrations(origin?: string): Promise<Registration[]>;
  update(reg: Registration | number): Promise<Registration>;
  skipWaiting(reg: Registration | number): Promise<Registration>;
  stop(reg: Registration | number): Promise<Registration>;
  unregister(reg: Registration | number): Promise<void>;
  fetch(url: string, init?: HostFetchInit): Promise<HostResponse>;
  /** resolves once every running worker's events and waitUntil promises have settled */
  settled(options?: { timeout?: number }): Promise<void>;
  setOffline(origin: string, offline: boolean): Promise<string[]>;
  caches(origin: string): HostCaches;
  indexedDB(origin: string): HostIndexedDB;
  trigger(reg: Registration | number, event: 'push' | 'sync' | 'periodicsync' | 'notificationclick' | 'notificationclose' | 'pushsubscriptionchange' | 'message', options?: TriggerOptions): Promise<TriggerResult>;
  notifications(reg: Registration | number): Promise<NotificationInfo[]>;
  client(url: string): Promise<HostClient>;
  events(options?: { replay?: boolean }): HostEvents;
  /** the requests that reached the directory server of an origin given as a directory */
  served(origin: string): { method: string; path: string }[];
  close(): Promise<void>;
}

export function startHost(options?: HostOptions): Promise<Host>;
export function findBinary(): string;
export function serveDirectory(dir: string, options?: { now?: () => number | undefined }): Promise<Server & { requests: { method: string; path: string }[] }>;
