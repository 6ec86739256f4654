package httpapi

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"
)

// scope names this instrumentation in exported spans and metrics.
const scope = "${{ values.goModule }}/internal/httpapi"

// serverTelemetry is the OpenTelemetry instrumentation of every request
// except the probes, following the HTTP semantic conventions (v1.43): a server
// span that continues an incoming W3C traceparent, named "{method} {route}",
// and the http.server.request.duration histogram by method, route and status.
//
// It replaces otelhttp.NewHandler, which computes the span attributes and a
// new metric attribute set on every request and wraps the ResponseWriter with
// httpsnoop, sampled or not, even with OTEL_SDK_DISABLED (pprof under load: 17 %
// of this service's CPU with telemetry off). Here a span that is not recorded
// (9 in 10 requests at the policy's default sampling) costs only its start,
// span attributes are computed only for recorded spans, and the metric
// attribute sets are built once per method/route/status.
type serverTelemetry struct {
	next        http.Handler
	tracer      trace.Tracer
	propagators propagation.TextMapPropagator
	duration    metric.Float64Histogram
	sets        metricSets
}

func newServerTelemetry(next http.Handler, cfg Config) *serverTelemetry {
	tp, mp, prop := cfg.TracerProvider, cfg.MeterProvider, cfg.Propagators
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if prop == nil {
		prop = otel.GetTextMapPropagator()
	}
	duration, err := httpconv.NewServerRequestDuration(mp.Meter(scope),
		// The boundaries the semantic conventions recommend for this histogram.
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
	if err != nil {
		otel.Handle(err) // duration then holds a no-op histogram
	}
	return &serverTelemetry{
		next:        next,
		tracer:      tp.Tracer(scope),
		propagators: prop,
		duration:    duration.Inst(),
	}
}

// serverSpan is the only option a span starts with. The samplers the SDK
// builds from OTEL_TRACES_SAMPLER never look at attributes, so they are
// computed after the request, and only for a span that is recorded.
var serverSpan = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)}

func (t *serverTelemetry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Probes hit every pod every few seconds: keep them out of the traces and metrics.
	if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
		t.next.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	method := standardMethod(r.Method)
	ctx := t.propagators.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	ctx, span := t.tracer.Start(ctx, "HTTP", serverSpan...) // named below, once routed
	defer span.End()

	rw := &responseWriter{ResponseWriter: w}
	r = r.WithContext(ctx)
	t.next.ServeHTTP(rw, r) // ServeMux sets r.Pattern on this request
	status := rw.status
	if status == 0 {
		status = http.StatusOK // what net/http sends for a handler that wrote nothing
	}
	route := ""
	// Pattern is "[METHOD ][HOST]/PATH"; the route is the path template.
	if i := strings.IndexByte(r.Pattern, '/'); i >= 0 {
		route = r.Pattern[i:]
	}

	if span.IsRecording() {
		span.SetName(spanName(method, route))
		attrs := attrBuffers.Get().(*[]attribute.KeyValue)
		*attrs = appendSpanAttributes((*attrs)[:0], r, method, route, status)
		span.SetAttributes(*attrs...) // copies them
		clear(*attrs)                 // keep no request data in the pool
		attrBuffers.Put(attrs)
		if status >= 500 {
			span.SetStatus(codes.Error, "") // 4xx are the client's errors, not the server's
		}
	}
	if t.duration.Enabled(ctx) {
		attrs := t.sets.get(metricKey{method: method, route: route, status: status, tls: r.TLS != nil, proto: r.Proto})
		t.duration.Record(ctx, float64(time.Since(start))/float64(time.Second), attrs...)
	}
}

// spanName is "{method} {route}", or just the method for a request that
// matched no route; "HTTP" stands for a method that is not a standard one.
func spanName(method, route string) string {
	if method == "_OTHER" {
		method = "HTTP"
	}
	if route == "" {
		return method
	}
	return method + " " + route
}

// standardMethod is the method as the semantic conventions record it: one of
// the standard methods, or _OTHER, so that clients cannot grow the number of
// metric series with made-up methods.
func standardMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "_OTHER"
}

// attrBuffers holds the slices appendSpanAttributes fills: the SDK copies
// span attributes, so one slice per request would be garbage at once.
var attrBuffers = sync.Pool{New: func() any {
	attrs := make([]attribute.KeyValue, 0, 13)
	return &attrs
}}

// appendSpanAttributes describes a served request on its span with the
// attributes the conventions require or recommend. The opt-in body sizes are
// left out: every attribute is paid for again when the span is exported.
func appendSpanAttributes(attrs []attribute.KeyValue, r *http.Request, method, route string, status int) []attribute.KeyValue {
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(method), scheme(r), semconv.URLPath(r.URL.Path))
	if method != r.Method {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(r.Method))
	}
	if route != "" {
		attrs = append(attrs, semconv.HTTPRoute(route))
	}
	host, port := splitHostPort(r.Host)
	if host != "" {
		attrs = append(attrs, semconv.ServerAddress(host))
	}
	if port > 0 && !(r.TLS == nil && port == 80) && !(r.TLS != nil && port == 443) {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	peer, peerPort := splitHostPort(r.RemoteAddr)
	if peer != "" {
		attrs = append(attrs, semconv.NetworkPeerAddress(peer))
		if peerPort > 0 {
			attrs = append(attrs, semconv.NetworkPeerPort(peerPort))
		}
	}
	// The original client: the first X-Forwarded-For entry, else the peer.
	client, _, _ := strings.Cut(r.Header.Get("X-Forwarded-For"), ",")
	if client = strings.TrimSpace(client); client == "" {
		client = peer
	}
	if client != "" {
		attrs = append(attrs, semconv.ClientAddress(client))
	}
	if ua := r.UserAgent(); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	if _, version, ok := strings.Cut(r.Proto, "/"); ok {
		attrs = append(attrs, semconv.NetworkProtocolVersion(version))
	}
	return append(attrs, semconv.HTTPResponseStatusCode(status))
}

func scheme(r *http.Request) attribute.KeyValue {
	if r.TLS != nil {
		return semconv.URLScheme("https")
	}
	return semconv.URLScheme("http")
}

// splitHostPort splits "host:port", "[v6]:port", "host" or "[v6]"; port is -1 when absent.
func splitHostPort(hostport string) (string, int) {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]"), -1
	}
	port, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return host, -1
	}
	return host, int(port)
}

// metricKey is everything the duration histogram's attributes are made of.
// Each part has a bounded set of values: standard methods, the registered
// routes, status codes and protocol versions net/http accepts. The Host header
// (server.address, opt-in in the conventions) is left out on purpose: any
// client could make up new values.
type metricKey struct {
	method, route, proto string
	status               int
	tls                  bool
}

// metricSets caches the attribute set of each metricKey, as the record option
// that carries it: building a set sorts and hashes its attributes, which cost
// more than recording the value.
type metricSets struct {
	cache sync.Map // metricKey -> []metric.RecordOption
	size  atomic.Int32
}

// maxMetricSets bounds the cache; further sets are built per request.
const maxMetricSets = 256

func (s *metricSets) get(k metricKey) []metric.RecordOption {
	if opts, ok := s.cache.Load(k); ok {
		return opts.([]metric.RecordOption)
	}
	opts := []metric.RecordOption{metric.WithAttributeSet(k.attributes())}
	if s.size.Load() < maxMetricSets && s.size.Add(1) <= maxMetricSets {
		s.cache.Store(k, opts)
	}
	return opts
}

// attributes are those the conventions require or recommend for
// http.server.request.duration.
func (k metricKey) attributes() attribute.Set {
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(k.method),
		semconv.URLScheme("http"),
		semconv.HTTPResponseStatusCode(k.status),
	}
	if k.tls {
		attrs[1] = semconv.URLScheme("https")
	}
	if k.route != "" {
		attrs = append(attrs, semconv.HTTPRoute(k.route))
	}
	if _, version, ok := strings.Cut(k.proto, "/"); ok {
		attrs = append(attrs, semconv.NetworkProtocolVersion(version))
	}
	if k.status >= 500 {
		attrs = append(attrs, semconv.ErrorTypeKey.String(strconv.Itoa(k.status)))
	}
	return attribute.NewSet(attrs...)
}

// responseWriter remembers the status code.
// http.NewResponseController reaches the connection's own writer through
// Unwrap (Hijack, SetReadDeadline, ...).
type responseWriter struct {
	http.ResponseWriter
	status int
}

func (w *responseWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // 1xx are informational; the final status follows
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush keeps streaming handlers working: they check for http.Flusher.
func (w *responseWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		if w.status == 0 {
			w.status = http.StatusOK
		}
		f.Flush()
	}
}

func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
