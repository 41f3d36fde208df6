package worker

import "github.com/swhost/swhost/fetch"

// exports is every binding the JavaScript of js/ can call, as host.NAME,
// grouped by the file that calls it; the Go function is in the
// bind_<api>.go file of the same name (bind.go says how adapters convert
// arguments and results). A binding no file calls is dead code: the
// bootstrap test checks that every name here is used in js/ and every
// host.NAME used there is here.
var exports = []export{
	// js/00_common.js (bind_common.go)
	{"toUSV", fn1((*instance).toUSV)},
	{"requireArgs", fn2((*instance).requireArgs)},

	// js/01_dom_exception.js (bind_dom_exception.go)
	{"setErrorFactory", do1((*instance).setErrorFactory)},

	// js/02_event.js (bind_event.go)
	{"now", fn0((*instance).now)},
	{"eventTime", fn1((*instance).eventTime)},
	{"listenerError", do2((*instance).listenerError)},
	{"reportException", do1((*instance).reportError)},

	// js/03_extendable_event.js (bind_extendable_event.go)
	{"extend", do1((*instance).extendBy)},
	{"eventField", fn2((*instance).eventField)},
	{"preloadResponse", fn2((*instance).preloadResponse)},
	{"registerForeignFetch", do2((*instance).registerForeignFetch)},
	{"addRoutes", fn2((*instance).addRoutes)},
	{"stateGetters", fn3((*instance).stateGetters)},
	{"crossOriginPostMethod", fn3((*instance).crossOriginPostMethod)},

	// js/05_ecmascript.js (bind_ecmascript.go)
	{"loadFloat16", fn0((*instance).loadFloat16)},
	{"jsonParse", fn1((*instance).jsonParse)},

	// js/05_regexp.js (bind_ecmascript.go)
	{"regexpRewrite", fn2((*instance).regexpRewrite)},

	// js/10_headers.js (bind_headers.go; the rules are package fetch's)
	{"headerName", fn3((*instance).headerName)},
	{"trimHTTPSpace", fn1((*instance).trimHTTPSpace)},
	{"handleHeaders", fn1((*instance).handleHeaders)},
	{"handleHeaderGet", fn2((*instance).handleHeaderGet)},
	{"isToken", pure1(fetch.IsHeaderName)},
	{"isForbiddenRequestHeader", pure2(fetch.IsForbiddenRequestHeader)},
	{"isForbiddenMethod", pure1(fetch.IsForbiddenMethod)},
	{"isForbiddenResponseHeaderName", pure1(fetch.IsForbiddenResponseHeaderName)},
	{"isNoCORSSafelistedRequestHeaderName", pure1(fetch.IsNoCORSSafelistedRequestHeaderName)},
	{"isCORSSafelistedRequestHeader", pure2(fetch.IsCORSSafelistedRequestHeader)},

	// js/11_blob.js, js/12_body.js (bind_body.go)
	{"checkSize", do1((*instance).checkSize)},
	{"goBodyRead", fn1((*instance).goBodyRead)},
	{"goBodyCancel", do1((*instance).goBodyCancel)},
	{"jsBodyChunk", do3((*instance).jsBodyChunk)},

	// js/13_request.js (bind_request.go)
	{"requestHandle", fn1((*instance).newRequestHandle)},
	{"requestFields", fn1((*instance).requestFields)},
	{"requestBody", fn1((*instance).requestBody)},
	{"normalizeMethod", pure1(fetch.NormalizeMethod)},

	// js/14_response.js (bind_response.go)
	{"responseRecord", raw((*instance).responseRecord)},

	// js/15_form_data.js (bind_form_data.go)
	{"formDataEncode", fn1((*instance).formDataEncode)},
	{"formDataParse", fn2((*instance).formDataParse)},

	// js/17_streams_bytes.js (bind_streams.go)
	{"transferBuffer", fn1((*instance).transferBuffer)},
	{"bufferDetached", pure1(bufferDetached)},

	// js/19_compression.js (bind_compression.go)
	{"codecNew", fn2((*instance).codecNew)},
	{"codecPush", do2((*instance).codecPush)},
	{"codecFinish", do1((*instance).codecFinish)},
	{"codecPull", fn1((*instance).codecPull)},
	{"codecClose", do1((*instance).codecClose)},

	// js/20_url.js (bind_url.go)
	{"parseURL", fn2((*instance).parseURLHref)},
	{"urlRecord", fn2((*instance).urlRecordOf)},
	{"urlSet", fn3((*instance).urlSet)},
	{"parseQuery", fn1((*instance).parseQuery)},
	{"serializeQuery", fn1((*instance).serializeQuery)},

	// js/21_urlpattern.js (bind_urlpattern.go)
	{"urlpatternNew", fn4((*instance).urlpatternNew)},
	{"urlpatternMatch", raw((*instance).urlpatternMatch)},
	{"urlpatternPart", fn2((*instance).urlpatternPart)},

	// js/30_fetch.js (bind_fetch.go)
	{"fetch", fn2((*instance).fetch)},

	// js/31_cache_storage.js (bind_cache_storage.go)
	{"cachesOpen", fn2((*instance).cachesOpen)},
	{"cachesHas", fn1((*instance).cachesHas)},
	{"cachesDelete", fn1((*instance).cachesDelete)},
	{"cachesKeys", fn0((*instance).cachesKeys)},
	{"cachesMatch", fn3((*instance).cachesMatch)},
	{"cacheMatch", raw((*instance).cacheMatch)},
	{"cachePut", fn2((*instance).cachePut)},
	{"cacheAddAll", fn2((*instance).cacheAddAll)},
	{"cacheDelete", fn3((*instance).cacheDelete)},
	{"cacheKeys", fn4((*instance).cacheKeys)},

	// js/41_encoding.js (bind_encoding.go)
	{"encodeUTF8", fn1((*instance).encodeUTF8)},
	{"encodeInto", fn2((*instance).encodeInto)},
	{"decodeUTF8", fn3((*instance).decodeUTF8)},
	{"textDecoderNew", fn3((*instance).textDecoderNew)},
	{"textDecoderName", pure1(textDecoderName)},
	{"textDecode", fn3((*instance).textDecode)},

	// js/42_crypto.js (bind_crypto.go)
	{"randomFill", do1((*instance).randomFill)},
	{"randomUUID", pure0(randomUUID)},

	// js/43_performance.js (bind_performance.go)
	{"timeOrigin", fn0((*instance).timeOrigin)},

	// js/44_subtle_crypto.js (bind_subtle_crypto.go)
	{"subtle", raw((*instance).subtle)},

	// js/45_intl.js, js/46_intl_format.js (bind_intl.go)
	{"intlCanonicalize", fn1((*instance).intlCanonicalize)},
	{"intlSupported", fn3((*instance).intlSupported)},
	{"intlNew", raw((*instance).intlNew)},
	{"intlResolved", fn1((*instance).intlResolved)},
	{"nfFormat", fn3((*instance).nfFormat)},
	{"dtfFormat", fn3((*instance).dtfFormat)},
	{"dtfFormatRange", raw((*instance).dtfFormatRange)},
	{"prSelect", fn2((*instance).prSelect)},
	{"prSelectRange", fn3((*instance).prSelectRange)},
	{"collCompare", fn3((*instance).collCompare)},
	{"rtfFormat", raw((*instance).rtfFormat)},
	{"lfFormat", fn3((*instance).lfFormat)},
	{"segSegments", fn2((*instance).segSegments)},
	{"cryptoKeyInfo", fn1((*instance).cryptoKeyInfo)},

	// js/32_indexeddb.js, js/33_indexeddb_transaction.js,
	// js/34_indexeddb_store.js (bind_indexeddb.go, bind_indexeddb_transaction.go)
	{"idbInit", do1((*instance).idbInit)},
	{"idbGetters", fn0((*instance).idbGetters)},
	{"idbHandlers", fn0((*instance).idbHandlers)},
	{"idbListen", raw((*instance).idbListen)},
	{"idbTask", do1((*instance).idbTask)},
	{"idbKey", fn1((*instance).idbKey)},
	{"idbKeyValue", fn1((*instance).idbKeyValue)},
	{"idbCmp", fn2((*instance).idbCmp)},
	{"idbValidKeyPath", fn1((*instance).idbValidKeyPath)},
	{"idbOpen", do3((*instance).idbOpen)},
	{"idbDeleteDatabase", do2((*instance).idbDeleteDatabase)},
	{"idbDatabases", fn0((*instance).idbDatabases)},
	{"idbSchema", fn1((*instance).idbSchema)},
	{"idbClose", do1((*instance).idbClose)},
	{"idbTransaction", raw((*instance).idbTransaction)},
	{"idbUpgradeTx", fn4((*instance).idbUpgradeTx)},
	{"idbTxCheck", do2((*instance).idbTxCheck)},
	{"idbTxMode", fn1((*instance).idbTxMode)},
	{"idbTxFinished", fn1((*instance).idbTxFinished)},
	{"idbTxDb", fn1((*instance).idbTxDb)},
	{"idbInitStores", do1((*instance).idbInitStores)},
	{"idbObjectStore", fn2((*instance).idbObjectStore)},
	{"idbStoreHandle", fn2((*instance).idbStoreHandle)},
	{"idbKeepHandle", do3((*instance).idbKeepHandle)},
	{"idbTxScope", fn1((*instance).idbTxScope)},
	{"idbTxCommit", do1((*instance).idbTxCommit)},
	{"idbTxAbort", do1((*instance).idbTxAbort)},
	{"idbTxAbortWith", do2((*instance).idbTxAbortWith)},
	{"idbUpgradeBegin", do1((*instance).idbUpgradeBegin)},
	{"idbUpgradeEnd", do2((*instance).idbUpgradeEnd)},
	{"idbAbortLive", do1((*instance).idbAbortLive)},
	{"idbNewRequest", do1((*instance).idbNewRequest)},
	{"idbSetRequest", raw((*instance).idbSetRequest)},
	{"idbPut", raw((*instance).idbPut)},
	{"idbRead", raw((*instance).idbRead)},
	{"idbDelete", raw((*instance).idbDelete)},
	{"idbClear", fn3((*instance).idbClear)},
	{"idbOpenCursor", raw((*instance).idbOpenCursor)},
	{"idbCursorStep", raw((*instance).idbCursorStep)},
	{"idbCreateStore", raw((*instance).idbCreateStore)},
	{"idbCreateIndex", raw((*instance).idbCreateIndex)},
	{"idbSchemaOp", raw((*instance).idbSchemaOp)},

	// js/50_messaging.js (bind_messaging.go)
	{"msgInit", do2((*instance).msgInit)},
	{"clone", fn2((*instance).clone)},
	{"portPost", do3((*instance).portPost)},
	{"portClose", do1((*instance).portClose)},

	// js/51_websocket.js (bind_websocket.go)
	{"wsOpen", raw((*instance).wsOpen)},
	{"wsSend", do2((*instance).wsSend)},
	{"wsClose", do3((*instance).wsClose)},

	// js/52_broadcast_channel.js (bind_broadcast_channel.go)
	{"bcOpen", fn2((*instance).bcOpen)},
	{"bcPost", do2((*instance).bcPost)},
	{"bcClose", do1((*instance).bcClose)},

	// js/60_console.js (bind_console.go)
	{"log", do3((*instance).log)},
	{"consoleLimit", fn0((*instance).consoleLimit)},

	// js/70_location_clients.js (bind_location_clients.go)
	{"urlPart", fn1((*instance).urlPart)},
	{"registration", fn1((*instance).registration)},
	{"registrationUpdate", fn0((*instance).registrationUpdate)},
	{"registrationUnregister", fn0((*instance).registrationUnregister)},
	{"navigationPreloadState", fn0((*instance).navigationPreloadState)},
	{"registrationWorker", fn1((*instance).registrationWorker)},
	{"online", fn0((*instance).online)},
	{"serviceWorkerState", fn1((*instance).serviceWorkerState)},
	{"serviceWorkerPost", do3((*instance).serviceWorkerPost)},
	{"navigationPreloadSet", fn2((*instance).navigationPreloadSet)},
	{"isHeaderValue", pure1(fetch.IsHeaderValue)},
	{"clientsGet", fn2((*instance).clientsGet)},
	{"clientsMatchAll", fn3((*instance).clientsMatchAll)},
	{"clientsClaim", fn0((*instance).clientsClaim)},
	{"clientPostMessage", do3((*instance).clientPostMessage)},
	{"crossOriginClients", fn2((*instance).crossOriginClients)},
	{"clientsOpenWindow", fn2((*instance).clientsOpenWindow)},
	{"clientFocus", fn2((*instance).clientFocus)},
	{"clientNavigate", fn3((*instance).clientNavigate)},

	// js/71_push.js (bind_push.go)
	{"pushSubscribe", fn3((*instance).pushSubscribe)},
	{"pushSubscription", fn1((*instance).pushSubscription)},
	{"pushUnsubscribe", fn1((*instance).pushUnsubscribe)},
	{"base64url", pure1(base64URL)},

	// js/72_sync.js (bind_sync.go)
	{"syncRegister", fn1((*instance).syncRegister)},
	{"syncTags", fn1((*instance).syncTags)},
	{"periodicSyncRegister", fn2((*instance).periodicSyncRegister)},
	{"periodicSyncUnregister", fn1((*instance).periodicSyncUnregister)},

	// js/73_notifications.js (bind_notifications.go)
	{"notificationShow", fn1((*instance).notificationShow)},
	{"notificationList", fn2((*instance).notificationList)},
	{"notificationClose", do1((*instance).notificationClose)},

	// js/74_storage.js (bind_storage.go)
	{"storagePersisted", fn0((*instance).storagePersisted)},
	{"storageEstimate", fn0((*instance).storageEstimate)},

	// js/80_global_scope.js (bind_global_scope.go)
	{"globalSelf", fn0((*instance).globalSelf)},
	{"selfWorker", fn0((*instance).selfWorker)},
	{"isSecureContext", fn0((*instance).isSecureContext)},
	{"skipWaiting", fn0((*instance).skipWaiting)},
	{"warnLateListener", do1((*instance).warnLateListener)},
	{"handlerAdded", do1((*instance).handlerAdded)},
	{"importScript", do1((*instance).importScriptAt)},
	{"setTimeout", raw((*instance).setTimeout)},
	{"setInterval", raw((*instance).setInterval)},
	{"clearTimer", do1((*instance).clearTimer)},
	{"queueTask", do1((*instance).queueTask)},
	{"atob", raw((*instance).atobGlobal)},
	{"btoa", raw((*instance).btoaGlobal)},

	// js/90_entry_points.js (bind_entry_points.go)
	{"done", raw((*instance).done)},
}
