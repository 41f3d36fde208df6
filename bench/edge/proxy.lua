-- wrk script for the forward-proxy run of bench/edge/run.sh: wrk connects
-- to the proxy and sends absolute-form requests ("GET https://app.test/
-- HTTP/1.1", RFC 9112 section 3.2.2), as an HTTP client configured with a
-- proxy does for http:// URLs. swhost's proxy runs them through the lookup
-- order as https://app.test/ (wrk cannot speak CONNECT, and https:// in
-- absolute form is the only way to reach the https origin without TLS).
wrk.path = "https://app.test/"
