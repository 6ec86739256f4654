package httpapi

import "net/http"

// addRoutes lists the whole API surface of the service in one place.
func addRoutes(mux *http.ServeMux, cfg Config) {
	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", handleReadyz(cfg.Ready))
	mux.Handle("GET /api/v1/hello", handleHello(cfg.Logger))
}
