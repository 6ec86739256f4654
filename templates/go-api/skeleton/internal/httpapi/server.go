// Package httpapi is the HTTP surface of the service: routes, handlers and
// the middleware around them.
package httpapi

import (
	"log/slog"
	"net/http"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Config holds every dependency of the HTTP layer.
type Config struct {
	Logger *slog.Logger
	// Ready reports whether the service should receive traffic (GET /readyz).
	Ready func() bool
	// TracerProvider, MeterProvider and Propagators default to the otel
	// globals, which telemetry.Setup installs. Tests inject their own.
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	Propagators    propagation.TextMapPropagator
}

// NewServer returns the root handler: the routes of routes.go wrapped in
// OpenTelemetry server instrumentation (instrument.go). Each request except the probes
// becomes a server span that continues an incoming W3C traceparent and is
// named after the matched route pattern, e.g. "GET /api/v1/hello", and is
// counted in the http.server.request.duration histogram (by method, route
// and status code).
func NewServer(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Ready == nil {
		cfg.Ready = func() bool { return true }
	}

	mux := http.NewServeMux()
	addRoutes(mux, cfg)
	return newServerTelemetry(mux, cfg)
}
