// https://example.com/serviceworker.js
this.addEventListener('crossoriginconnect', function(event) {
  // Optionally check event.client.origin to determine if that origin should be
  // allowed access to this service.
  event.acceptConnection(event.client.targetUrl === 'https://echo.test/services/echo');
});

this.addEventListener('crossoriginmessage', function(event) {
  event.source.postMessage(event.data, event.ports);
});
