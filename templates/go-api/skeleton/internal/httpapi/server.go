// Package httpapi is the HTTP surface of the service: routes, handlers and
// the middleware around them.
package httpapi

import (
	"log/slog"
	"net/http"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
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
// OpenTelemetry server instrumentation. Each request except the probes
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

	// Probes hit every pod every few seconds: keep them out of the traces and metrics.
	opts := []otelhttp.Option{otelhttp.WithFilter(func(r *http.Request) bool {
		return r.URL.Path != "/healthz" && r.URL.Path != "/readyz"
	})}
	if cfg.TracerProvider != nil {
		opts = append(opts, otelhttp.WithTracerProvider(cfg.TracerProvider))
	}
	if cfg.MeterProvider != nil {
		opts = append(opts, otelhttp.WithMeterProvider(cfg.MeterProvider))
	}
	if cfg.Propagators != nil {
		opts = append(opts, otelhttp.WithPropagators(cfg.Propagators))
	}
	// Span names come from the default formatter: "{method} {route}", or just
	// "{method}" for requests that match no route; the operation name is unused.
	return otelhttp.NewHandler(routeAttribute(mux), "http.server", opts...)
}

// routeAttribute adds http.route to the server span. otelhttp names the span
// after r.Pattern once the mux has run, but it computes the span attributes
// before routing, when the pattern is still empty.
func routeAttribute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r) // ServeMux sets r.Pattern on this request
		// Pattern is "[METHOD ][HOST]/PATH"; the route is the path template.
		if i := strings.IndexByte(r.Pattern, '/'); i >= 0 {
			trace.SpanFromContext(r.Context()).SetAttributes(semconv.HTTPRoute(r.Pattern[i:]))
		}
	})
}
