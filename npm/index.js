// swhost for Node test runners: run real service-worker JavaScript under
// `swhost serve` and drive it through its admin API (docs/api.md), with
// no browser. Plain ESM, Node's standard library only.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, createReadStream } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * An error the admin API answered, with the web platform's exception
 * name (`TypeError`, `SecurityError`, `InvalidStateError`, ...).
 */
export class SwhostError extends Error {
  /**
   * @param {string} name the exception name swhost gave
   * @param {string} message
   * @param {number} status the HTTP status of the admin answer
   */
  constructor(name, message, status) {
    super(`${name}: ${message}`);
    /** The web exception name, e.g. `InstallError`. */
    this.errorName = name;
    /** The admin API's HTTP status. */
    this.status = status;
  }
}

/**
 * Thrown by `host.clock` when the binary has no manual clock (an older
 * swhost without `GET /v1/clock`); `error.code` is
 * `ERR_SWHOST_NO_CLOCK`.
 */
export class ClockUnavailableError extends Error {
  constructor() {
    super('this swhost binary has no manual clock (GET /v1/clock answered 404): use a build with `swhost serve --clock manual`');
    this.code = 'ERR_SWHOST_NO_CLOCK';
  }
}

/**
 * Finds the swhost binary: `$SWHOST_BIN`, else the one shipped in this
 * package (`bin/<platform>-<arch>/swhost`, written by
 * scripts/build-binary.sh), else the optional dependency
 * `@swhost/<platform>-<arch>` of a published release.
 * @returns {string}
 */
export function findBinary() {
  if (process.env.SWHOST_BIN) return process.env.SWHOST_BIN;
  const exe = process.platform === 'win32' ? 'swhost.exe' : 'swhost';
  const plat = `${process.platform}-${process.arch}`;
  const shipped = path.join(here, 'bin', plat, exe);
  if (existsSync(shipped)) return shipped;
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve(`@swhost/${plat}/package.json`);
    const bin = path.join(path.dirname(pkg), 'bin', exe);
    if (existsSync(bin)) return bin;
  } catch {
    // not installed: fall through
  }
  throw new Error(`no swhost binary for ${plat}: set SWHOST_BIN, or run scripts/build-binary.sh in the swhost package (needs Go)`);
}

// Every running host, killed when the process exits.
const running = new Set();
let exitHooked = false;

function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const h of running) h._killNow();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      for (const h of running) h._killNow();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

const types = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.wasm': 'application/wasm', '.map': 'application/json',
};

/**
 * Serves a directory on 127.0.0.1 (a free port), read at each request so
 * that a test may change files between requests (a new worker version).
 * `/` and directories serve their index.html. Responses carry
 * `Cache-Control: no-cache` and a `Last-Modified`, and a `Date` of
 * `options.now()` when it gives a time (the host's manual clock: what
 * Workbox's ExpirationPlugin compares with the worker's Date.now()). The
 * server's `requests` lists the requests it got, in order.
 * @param {string} dir
 * @param {{now?: () => number | undefined}} [options]
 * @returns {Promise<http.Server & {requests: {method: string, path: string}[]}>}
 */
export function serveDirectory(dir, options = {}) {
  const root = path.resolve(dir);
  /** @type {{method: string, path: string}[]} */
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, path: req.url });
    const now = options.now?.();
    if (now !== undefined) {
      res.sendDate = false;
      res.setHeader('Date', new Date(now).toUTCString());
    }
    let p;
    try {
      p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(root, p);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let st;
    try {
      st = statSync(file);
      if (st.isDirectory()) {
        file = path.join(file, 'index.html');
        st = statSync(file);
      }
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': types[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': st.size,
      'Cache-Control': 'no-cache',
      'Last-Modified': st.mtime.toUTCString(),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  server.keepAliveTimeout = 1000;
  server.requests = requests;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * @typedef {object} HostOptions
 * @property {Record<string, string>} [origins] origin → a directory to
 *   serve it from, or the URL of a running server (a dev server) to map
 *   it to (`--resolve ORIGIN=URL`)
 * @property {string} [bin] the swhost binary (default: findBinary())
 * @property {'manual'|'real'} [clock] `manual` (default) starts serve
 *   with `--clock manual`: time moves only by `host.clock`
 * @property {string[]} [args] more `swhost serve` flags
 * @property {string[]} [offline] origins to start offline
 * @property {boolean} [keepData] keep the data directory on close
 */

/**
 * Starts `swhost serve` in a new temporary data directory, on loopback,
 * with the origins mapped, and resolves once its admin API answers.
 * @param {HostOptions} [options]
 * @returns {Promise<Host>}
 */
export async function startHost(options = {}) {
  const host = new Host(options);
  try {
    await host._start();
  } catch (err) {
    await host.close();
    throw err;
  }
  return host;
}

/** A running `swhost serve` and what it serves. */
export class Host {
  /** @param {HostOptions} options */
  constructor(options) {
    this._options = options;
    this._servers = [];
    this._streams = new Set();
    this._clients = new Set();
    this._agent = new http.Agent({ keepAlive: true });
    /** The temporary data directory (`--data`). */
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), 'swhost-'));
    /** The admin API's base URL, `http://127.0.0.1:PORT`. */
    this.adminURL = '';
    /** The admin token. */
    this.token = '';
    /** The origins mapped, origin → upstream URL. */
    this.origins = {};
    /** Whether serve runs with the manual clock. */
    this.manualClock = false;
    this._stderr = '';
    this._served = {};
    /** @type {number|undefined} the manual clock's time, as last read or set */
    this._clockNow = undefined;
    /** The manual clock (see HostClock). */
    this.clock = new HostClock(this);
  }

  async _start() {
    const resolve = [];
    for (const [origin, target] of Object.entries(this._options.origins || {})) {
      let url = target;
      if (!/^https?:\/\//.test(target)) {
        const srv = await serveDirectory(target, { now: () => this._clockNow });
        this._servers.push(srv);
        this._served[origin] = srv.requests;
        url = `http://127.0.0.1:${srv.address().port}`;
      }
      this.origins[origin] = url;
      resolve.push('--resolve', `${origin}=${url}`);
    }
    for (const o of this._options.offline || []) resolve.push('--offline', o);
    const base = ['serve', '--data', this.dataDir, '--listen', '127.0.0.1:0', ...resolve, ...(this._options.args || [])];
    const wantManual = (this._options.clock || 'manual') === 'manual';
    try {
      await this._spawn(wantManual ? [...base, '--clock', 'manual'] : base);
      this.manualClock = wantManual;
    } catch (err) {
      // A binary from before the manual clock: run without it; host.clock
      // then throws ClockUnavailableError.
      if (!wantManual || !/-clock/.test(this._stderr)) throw err;
      this._stderr = '';
      await this._spawn(base);
    }
    this.token = readFileSync(path.join(this.dataDir, 'admin.token'), 'utf8').trim();
    running.add(this);
    hookExit();
    if (this.manualClock) this.manualClock = await this.clock.available();
  }

  /**
   * The requests that reached the directory server of an origin given as
   * a directory, in order (`{method, path}`): to check what the worker
   * answered without the network.
   * @param {string} origin
   * @returns {{method: string, path: string}[]}
   */
  served(origin) {
    const list = this._served[origin];
    if (!list) throw new TypeError(`${origin} is not served from a directory by this host`);
    return list;
  }

  _spawn(args) {
    const bin = this._options.bin || findBinary();
    return new Promise((resolve, reject) => {
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this._child = child;
      this._exited = false;
      let out = '';
      let done = false;
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d) => {
        if (this._stderr.length < 1 << 16) this._stderr += d;
      });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d) => {
        if (done) return;
        out += d;
        const m = /swhost serve: admin on (http:\/\/[^\s/]+)\//.exec(out);
        if (m) {
          done = true;
          this.adminURL = m[1];
          resolve();
        }
      });
      child.once('error', (err) => {
        if (!done) { done = true; reject(err); }
      });
      child.once('exit', (code, signal) => {
        if (this._child === child) this._exited = true;
        if (!done) {
          done = true;
          reject(new Error(`swhost serve exited (${signal || code}) before listening:\n${this._stderr}`));
        }
      });
    });
  }

  /** What serve wrote on stderr (its log), at most 64 KiB. */
  get log() {
    return this._stderr;
  }

  /**
   * Calls the admin API and returns the decoded JSON answer (undefined
   * for an empty one); a failure throws SwhostError.
   * @param {string} method
   * @param {string} pathAndQuery
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async api(method, pathAndQuery, body) {
    const res = await this._request(method, pathAndQuery, body);
    const text = await readAll(res);
    let json;
    if (text.length) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new SwhostError('Error', `${method} ${pathAndQuery}: not JSON: ${text.slice(0, 200)}`, res.statusCode);
      }
    }
    if (res.statusCode >= 400) {
      throw new SwhostError(json?.error || 'Error', json?.message || text, res.statusCode);
    }
    if (res.statusCode === 204) return undefined;
    return json;
  }

  /** @returns {Promise<http.IncomingMessage>} */
  _request(method, pathAndQuery, body, agent = this._agent) {
    if (!this.adminURL) return Promise.reject(new Error('the host is closed'));
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers = { Authorization: `Bearer ${this.token}` };
      if (method !== 'GET' && method !== 'HEAD') headers['Content-Type'] = 'application/json';
      if (payload) headers['Content-Length'] = payload.length;
      const req = http.request(this.adminURL + pathAndQuery, { method, headers, agent }, resolve);
      req.once('error', reject);
      req.end(payload);
    });
  }

  /**
   * Registers a worker as a page at `options.client` (default: the
   * scope, else the script's origin) would, and resolves with the
   * registration once its new version is installed (and active, unless an
   * older version keeps it waiting).
   * @param {string} scriptURL absolute
   * @param {RegisterOptions} [options]
   * @returns {Promise<Registration>}
   */
  async register(scriptURL, options = {}) {
    const u = new URL(scriptURL);
    const body = { client: options.client || new URL(typeof options.scope === 'string' ? options.scope : '/', u).href, script: u.href };
    if (options.scope !== undefined) body.scope = options.scope;
    if (options.type) body.type = options.type;
    if (options.updateViaCache) body.updateViaCache = options.updateViaCache;
    return registration(await this.api('POST', '/v1/registrations', body));
  }

  /** @param {Registration|number} reg @returns {Promise<Registration>} */
  async registration(reg) {
    return registration(await this.api('GET', `/v1/registrations/${regID(reg)}`));
  }

  /** @param {string} [origin] @returns {Promise<Registration[]>} */
  async registrations(origin) {
    const q = origin ? `?origin=${encodeURIComponent(origin)}` : '';
    return (await this.api('GET', `/v1/registrations${q}`)).map(registration);
  }

  /** Runs the update algorithm. @param {Registration|number} reg @returns {Promise<Registration>} */
  async update(reg) {
    return registration(await this.api('POST', `/v1/registrations/${regID(reg)}/update`));
  }

  /** Activates the waiting version now. @param {Registration|number} reg @returns {Promise<Registration>} */
  async skipWaiting(reg) {
    return registration(await this.api('POST', `/v1/registrations/${regID(reg)}/skip-waiting`));
  }

  /** Stops the registration's running workers. @param {Registration|number} reg @returns {Promise<Registration>} */
  async stop(reg) {
    return registration(await this.api('POST', `/v1/registrations/${regID(reg)}/stop`));
  }

  /** @param {Registration|number} reg @returns {Promise<void>} */
  async unregister(reg) {
    await this.api('DELETE', `/v1/registrations/${regID(reg)}`);
  }

  /**
   * Makes a request as the page at `init.client` (default: the URL's
   * origin + '/'; or a HostClient, whose own request it is) does, through the lookup order: the controlling
   * worker's fetch event, the HTTP cache, the network. Resolves with a
   * Response whose `servedBy` is the layer that answered (`fetch-event`,
   * `foreign-fetch`, `http-cache`, `network`); a network error rejects
   * with a TypeError, as fetch() does.
   * @param {string} url
   * @param {HostFetchInit} [init]
   * @returns {Promise<HostResponse>}
   */
  async fetch(url, init = {}) {
    const body = init.client instanceof HostClient
      ? { clientId: init.client.id, url, stream: true }
      : { client: init.client || new URL('/', url).href, url, stream: true };
    if (init.method) body.method = init.method;
    if (init.mode) body.mode = init.mode;
    if (init.headers) body.headers = Object.fromEntries(new Headers(init.headers).entries());
    if (init.body !== undefined) body.body = String(init.body);
    const res = await this._request('POST', '/v1/fetch', body);
    if (res.statusCode !== 200) {
      const text = await readAll(res);
      let j = {};
      try { j = JSON.parse(text); } catch { /* not JSON */ }
      throw new SwhostError(j.error || 'Error', j.message || text, res.statusCode);
    }
    const h = res.headers;
    const type = h['x-swhost-type'];
    if (type === 'error') {
      res.resume();
      throw new TypeError(`fetch ${url} failed: ${h['x-swhost-error'] || 'network error'}`);
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(h)) {
      if (!k.startsWith('x-swhost-header-')) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k.slice('x-swhost-header-'.length), one);
    }
    const status = Number(h['x-swhost-status']);
    const nullBody = [101, 204, 205, 304].includes(status) || (init.method || 'GET').toUpperCase() === 'HEAD';
    if (nullBody) res.resume();
    const out = new Response(nullBody ? null : Readable.toWeb(res), {
      status: status >= 200 && status <= 599 ? status : 200,
      statusText: h['x-swhost-status-text'] || '',
      headers,
    });
    define(out, { status, type, url: h['x-swhost-url'] || '', servedBy: h['x-swhost-layer'], scriptURL: h['x-swhost-script-url'] || '', latencyMs: Number(h['x-swhost-latency-ms']) });
    return /** @type {HostResponse} */ (out);
  }

  /**
   * Resolves once the work the host started has settled: every running
   * worker's events and waitUntil promises (the cache write a Workbox
   * strategy makes after answering), background registrations.
   * @param {{timeout?: number}} [options] ms, default 10000
   * @returns {Promise<void>}
   */
  async settled(options = {}) {
    await this.api('POST', '/v1/settle', options.timeout === undefined ? {} : { timeoutMs: options.timeout });
  }

  /**
   * Takes an origin offline (`true`) or back online: the network fails
   * every request to it and its clients' and workers'; caches still answer.
   * @param {string} origin
   * @param {boolean} offline
   * @returns {Promise<string[]>} the origins offline now
   */
  async setOffline(origin, offline) {
    return (await this.api('PUT', '/v1/offline', { origin, offline })).offline;
  }

  /**
   * An origin's Cache Storage, as its workers see it.
   * @param {string} origin
   * @returns {HostCaches}
   */
  caches(origin) {
    return new HostCaches(this, origin);
  }

  /**
   * An origin's IndexedDB databases, read through the engine.
   * @param {string} origin
   * @returns {HostIndexedDB}
   */
  indexedDB(origin) {
    return new HostIndexedDB(this, origin);
  }

  /**
   * Fires a functional event at the registration's active worker and
   * resolves with its outcome, the notifications shown, the messages
   * posted and the windows opened.
   * @param {Registration|number} reg
   * @param {'push'|'sync'|'periodicsync'|'notificationclick'|'notificationclose'|'pushsubscriptionchange'|'message'} event
   * @param {TriggerOptions} [options]
   * @returns {Promise<TriggerResult>}
   */
  async trigger(reg, event, options = {}) {
    const body = { event };
    if (event === 'push') {
      if (options.data !== undefined) body.payload = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
    } else if (event === 'message') {
      if (options.data !== undefined) body.data = options.data;
      if (options.client) body.client = options.client;
    } else {
      if (options.tag !== undefined) body.tag = options.tag;
      if (options.lastChance) body.lastChance = true;
      if (options.notification !== undefined) body.notification = options.notification;
      if (options.action !== undefined) body.action = options.action;
    }
    return this.api('POST', `/v1/registrations/${regID(reg)}/trigger`, body);
  }

  /** The notifications the registration's worker shows. @param {Registration|number} reg */
  async notifications(reg) {
    return this.api('GET', `/v1/registrations/${regID(reg)}/notifications`);
  }

  /**
   * Opens a window client at url, as a page loaded there: controlled by
   * the matching active worker, receiving what workers post to it.
   * @param {string} url
   * @returns {Promise<HostClient>}
   */
  async client(url) {
    const info = await this.api('POST', '/v1/clients', { url });
    const c = new HostClient(this, info);
    this._clients.add(c);
    return c;
  }

  /**
   * The event stream the devtools page shows (lifecycle, fetch, console,
   * ...), replayed from the start unless `replay: false`.
   * @param {{replay?: boolean}} [options]
   * @returns {HostEvents}
   */
  events(options = {}) {
    const s = new HostEvents(this, options.replay !== false);
    this._streams.add(s);
    return s;
  }

  _killNow() {
    if (this._child && !this._exited) this._child.kill('SIGKILL');
    if (!this._options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Stops serve, the directory servers and the streams; removes the data directory. */
  async close() {
    running.delete(this);
    for (const s of this._streams) s.close();
    for (const c of this._clients) c._abort();
    this._agent.destroy();
    const child = this._child;
    if (child && !this._exited) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    this.adminURL = '';
    await Promise.all(this._servers.map((s) => new Promise((r) => { s.close(() => r()); s.closeAllConnections?.(); })));
    this._servers = [];
    if (!this._options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The host's clock: `--clock manual` time, moved only by the test. */
export class HostClock {
  /** @param {Host} host */
  constructor(host) {
    this._host = host;
  }

  async _call(method, body) {
    try {
      const out = await this._host.api(method, '/v1/clock', body);
      if (typeof out?.now === 'number') this._host._clockNow = out.now;
      return out;
    } catch (err) {
      if (err instanceof SwhostError && err.status === 404) throw new ClockUnavailableError();
      throw err;
    }
  }

  /** Whether the binary has the manual clock running. @returns {Promise<boolean>} */
  async available() {
    try {
      return (await this._call('GET')).manual === true;
    } catch (err) {
      if (err instanceof ClockUnavailableError) return false;
      throw err;
    }
  }

  /** The host's time, ms since the epoch. @returns {Promise<number>} */
  async now() {
    return (await this._call('GET')).now;
  }

  /**
   * Moves the host's time ahead by ms: workers' Date.now() and timers,
   * HTTP cache freshness and cache expiry follow.
   * @param {number} ms
   * @returns {Promise<number>} the new time
   */
  async advance(ms) {
    return (await this._call('POST', { advance: ms })).now;
  }

  /** Sets the host's time (ms since the epoch). @param {number} ms @returns {Promise<number>} */
  async set(ms) {
    return (await this._call('POST', { set: ms })).now;
  }
}

/** An origin's Cache Storage. */
export class HostCaches {
  constructor(host, origin) {
    this._host = host;
    this.origin = origin;
  }

  /** The cache names, in creation order. @returns {Promise<string[]>} */
  async keys() {
    const list = await this._host.api('GET', `/v1/caches?origin=${encodeURIComponent(this.origin)}`);
    return list.find((o) => o.origin === this.origin)?.caches || [];
  }

  /** @param {string} name @returns {Promise<boolean>} */
  async has(name) {
    return (await this.keys()).includes(name);
  }

  /**
   * A cache's entries (method, url, status, type, headers, bodyBytes), in
   * insertion order.
   * @param {string} name
   * @returns {Promise<CacheEntry[]>}
   */
  async entries(name) {
    return this._host.api('GET', `/v1/caches/entries?origin=${encodeURIComponent(this.origin)}&cache=${encodeURIComponent(name)}`);
  }

  /** The URLs a cache holds. @param {string} name @returns {Promise<string[]>} */
  async urls(name) {
    return (await this.entries(name)).map((e) => e.url);
  }

  /**
   * The stored response for url (in `options.cacheName`, else the first
   * cache that has it), as caches.match finds it (URL equal, or equal but
   * for the query with ignoreSearch), or undefined.
   * @param {string} url
   * @param {{cacheName?: string, ignoreSearch?: boolean}} [options]
   * @returns {Promise<StoredResponse|undefined>}
   */
  async match(url, options = {}) {
    const names = options.cacheName ? [options.cacheName] : await this.keys();
    const strip = (u) => { const x = new URL(u); x.hash = ''; if (options.ignoreSearch) x.search = ''; return x.href; };
    const want = strip(url);
    for (const name of names) {
      let entries;
      try {
        entries = await this.entries(name);
      } catch (err) {
        if (err instanceof SwhostError && err.status === 404) continue;
        throw err;
      }
      const hit = entries.find((e) => e.method === 'GET' && strip(e.url) === want);
      if (!hit) continue;
      const q = `origin=${encodeURIComponent(this.origin)}&cache=${encodeURIComponent(name)}&url=${encodeURIComponent(hit.url)}`;
      const res = await this._host._request('GET', `/v1/caches/entry?${q}`);
      const body = await readAllBytes(res);
      if (res.statusCode !== 200) throw new SwhostError('Error', body.toString(), res.statusCode);
      const headers = new Headers();
      for (const [k, vs] of Object.entries(hit.headers || {})) for (const v of vs) headers.append(k, v);
      const status = hit.status;
      const nullBody = [101, 204, 205, 304].includes(status);
      const out = new Response(nullBody ? null : body, { status: status >= 200 && status <= 599 ? status : 200, statusText: hit.statusText || '', headers });
      define(out, { status, type: hit.type, url: hit.url, cacheName: name });
      return /** @type {StoredResponse} */ (out);
    }
    return undefined;
  }
}

/** An origin's IndexedDB databases. */
export class HostIndexedDB {
  constructor(host, origin) {
    this._host = host;
    this.origin = origin;
  }

  /** The databases, with their stores and indexes. @returns {Promise<IDBDatabaseInfo[]>} */
  async databases() {
    const list = await this._host.api('GET', `/v1/indexeddb?origin=${encodeURIComponent(this.origin)}`);
    return list.find((o) => o.origin === this.origin)?.databases || [];
  }

  /**
   * Every record of a store (through an index when given), in key order,
   * values as inspect JSON (`$type` tags for what JSON cannot hold).
   * @param {string} db
   * @param {string} store
   * @param {{index?: string}} [options]
   * @returns {Promise<IDBRecordInfo[]>}
   */
  async records(db, store, options = {}) {
    const out = [];
    let after;
    for (;;) {
      let q = `origin=${encodeURIComponent(this.origin)}&db=${encodeURIComponent(db)}&store=${encodeURIComponent(store)}&limit=500`;
      if (options.index) q += `&index=${encodeURIComponent(options.index)}`;
      if (after) q += `&after=${encodeURIComponent(after)}`;
      const page = await this._host.api('GET', `/v1/indexeddb/records?${q}`);
      out.push(...page.records);
      if (!page.next) return out;
      after = page.next;
    }
  }

  /**
   * A whole database: its version and every store's records.
   * @param {string} db
   * @returns {Promise<IDBDump>}
   */
  async dump(db) {
    const info = (await this.databases()).find((d) => d.name === db);
    if (!info) throw new SwhostError('NotFoundError', `no IndexedDB database ${db} in ${this.origin}`, 404);
    const stores = {};
    for (const s of info.stores) stores[s.name] = await this.records(db, s.name);
    return { name: db, version: info.version, stores };
  }
}

/** A window client opened with host.client(url). */
export class HostClient {
  constructor(host, info) {
    this._host = host;
    /** The client's id (event.source.id / clientId in the worker). */
    this.id = info.id;
    /** The page URL. */
    this.url = info.url;
    /** The controlling registration's id when opened, or null. */
    this.controller = info.controller;
    this._queue = [];
    // The seq of the last event received: polls ask for the events past
    // it, so that an event whose answer was lost (a poll abandoned at its
    // timeout) comes again.
    this._seq = 0;
    this._agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  /**
   * Posts a message to a worker: the controller's active worker (as
   * navigator.serviceWorker.controller.postMessage), or with `worker:
   * 'waiting'` the waiting one (registration.waiting.postMessage).
   * Resolves when the worker's message event is over, with its outcome.
   * @param {unknown} data a JSON value
   * @param {{worker?: 'active'|'waiting'|'installing', registration?: Registration|number}} [options]
   * @returns {Promise<{outcome: string}>}
   */
  async postMessage(data, options = {}) {
    const body = { data };
    if (options.worker) body.worker = options.worker;
    if (options.registration !== undefined) body.registration = regID(options.registration);
    return this._host.api('POST', `/v1/clients/${encodeURIComponent(this.id)}/messages`, body);
  }

  /**
   * The client's next event: `{type: 'message', data, source}` or
   * `{type: 'controllerchange', source}`, waiting (long polling) until
   * one comes, or rejecting after `options.timeout` ms (default 10000).
   * With a type, events of other types are kept for later.
   * @param {'message'|'controllerchange'} [type]
   * @param {{timeout?: number}} [options]
   * @returns {Promise<ClientEvent>}
   */
  async nextEvent(type, options = {}) {
    const i = this._queue.findIndex((e) => !type || e.type === type);
    if (i >= 0) return this._queue.splice(i, 1)[0];
    const timeout = options.timeout ?? 10000;
    let expired = false;
    let current;
    const timer = timeout > 0 ? setTimeout(() => { expired = true; current?.destroy(); }, timeout) : undefined;
    try {
      for (;;) {
        let res;
        try {
          res = await new Promise((resolve, reject) => {
            if (expired) { reject(new Error('expired')); return; }
            const req = http.request(`${this._host.adminURL}/v1/clients/${encodeURIComponent(this.id)}/events?wait=1&after=${this._seq}`, {
              headers: { Authorization: `Bearer ${this._host.token}` }, agent: this._agent,
            }, resolve);
            current = req;
            req.once('error', reject);
            req.end();
          });
        } catch (err) {
          if (expired) throw new Error(`no ${type || 'event'} at client ${this.url} within ${timeout} ms`);
          throw err;
        }
        const text = await readAll(res);
        if (res.statusCode === 204) continue;
        const j = text ? JSON.parse(text) : {};
        if (res.statusCode !== 200) throw new SwhostError(j.error || 'Error', j.message || text, res.statusCode);
        if (j.seq <= this._seq) continue; // seen already
        this._seq = j.seq;
        if (!type || j.type === type) return j;
        this._queue.push(j);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Makes a request from this client (its controller answers it; the
   * worker's event.clientId is this client's id), as host.fetch does.
   * @param {string} url
   * @param {Omit<HostFetchInit, 'client'>} [init]
   * @returns {Promise<HostResponse>}
   */
  fetch(url, init = {}) {
    return this._host.fetch(url, { ...init, client: this });
  }

  /**
   * The data of the next message a worker posts to the client.
   * @param {{timeout?: number}} [options] ms, default 10000
   * @returns {Promise<any>}
   */
  async nextMessage(options) {
    return (await this.nextEvent('message', options)).data;
  }

  /** Closes the client, as closing its page does. */
  async close() {
    this._host._clients.delete(this);
    this._agent.destroy();
    await this._host.api('DELETE', `/v1/clients/${encodeURIComponent(this.id)}`);
  }

  _abort() {
    this._agent.destroy();
  }
}

/**
 * The host's event stream (GET /v1/events): every event received is kept
 * in `received`; `waitFor` finds one, waiting for it if it has not come.
 * Also an async iterable of the events as they come.
 */
export class HostEvents {
  constructor(host, replay) {
    this._host = host;
    /** @type {HostEvent[]} */
    this.received = [];
    this._waiters = [];
    this._closed = false;
    this._error = null;
    /** Resolves when the stream is connected. */
    this.ready = host._request('GET', `/v1/events${replay ? '' : '?replay=0'}`, undefined, false).then((res) => {
      if (res.statusCode !== 200) throw new SwhostError('Error', `GET /v1/events: ${res.statusCode}`, res.statusCode);
      this._res = res;
      if (this._closed) { res.destroy(); return; }
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) this._push(JSON.parse(data));
        }
      });
      res.on('error', () => {});
    });
    this.ready.catch((err) => { this._error = err; this._wake(); });
  }

  _push(ev) {
    this.received.push(ev);
    this._wake();
  }

  _wake() {
    const ws = this._waiters;
    this._waiters = [];
    for (const w of ws) w();
  }

  /**
   * The first event received (since the stream's start) that matches: a
   * type (`'lifecycle'`, `'console'`, `'fetch'`, ...) or a predicate;
   * waits for it, rejecting after options.timeout ms (default 10000).
   * @param {string | ((ev: HostEvent) => boolean)} match
   * @param {{timeout?: number, from?: number}} [options] `from`: skip the
   *   first `from` received events
   * @returns {Promise<HostEvent>}
   */
  async waitFor(match, options = {}) {
    const pred = typeof match === 'string' ? (ev) => ev.type === match : match;
    const timeout = options.timeout ?? 10000;
    let timer;
    let expired = false;
    if (timeout > 0) timer = setTimeout(() => { expired = true; this._wake(); }, timeout);
    try {
      for (let i = options.from || 0; ;) {
        for (; i < this.received.length; i++) if (pred(this.received[i])) return this.received[i];
        if (this._error) throw this._error;
        if (this._closed) throw new Error('the event stream is closed');
        if (expired) throw new Error(`no matching event within ${timeout} ms (received ${this.received.length})`);
        await new Promise((r) => this._waiters.push(r));
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** The console messages received so far, as `level: message` strings. @returns {string[]} */
  console() {
    return this.received.filter((e) => e.type === 'console').map((e) => `${e.data.level}: ${e.data.message}`);
  }

  async *[Symbol.asyncIterator]() {
    for (let i = 0; ;) {
      while (i < this.received.length) yield this.received[i++];
      if (this._closed) return;
      if (this._error) throw this._error;
      await new Promise((r) => this._waiters.push(r));
    }
  }

  /** Ends the stream. */
  close() {
    this._closed = true;
    this._res?.destroy();
    this._host._streams.delete(this);
    this._wake();
  }
}

function registration(info) {
  const slot = (s) => info.versions?.find((v) => v.slot === s) || null;
  return Object.assign(info, { active: slot('active'), waiting: slot('waiting'), installing: slot('installing') });
}

function regID(reg) {
  const id = typeof reg === 'number' ? reg : reg?.id;
  if (typeof id !== 'number') throw new TypeError('want a registration (or its id)');
  return id;
}

function define(obj, props) {
  for (const [k, value] of Object.entries(props)) Object.defineProperty(obj, k, { value, enumerable: true });
}

async function readAllBytes(res) {
  const chunks = [];
  for await (const c of res) chunks.push(c);
  return Buffer.concat(chunks);
}

async function readAll(res) {
  return (await readAllBytes(res)).toString('utf8');
}
