package httpapi

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// instrumented wraps mux like NewServer does, with a recording tracer (sampler
// as given) and a manual metric reader.
func instrumented(t *testing.T, sampler sdktrace.Sampler, mux http.Handler) (http.Handler, *tracetest.SpanRecorder, *sdkmetric.ManualReader) {
	t.Helper()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return newServerTelemetry(mux, Config{TracerProvider: tp, MeterProvider: mp, Propagators: propagation.TraceContext{}}), spans, reader
}

func TestSampledSpanDescribesTheRequest(t *testing.T) {
	h, spans, _ := instrumented(t, sdktrace.AlwaysSample(), apiRoutes())
	req := httptest.NewRequest(http.MethodGet, "http://api.example.com:8443/api/v1/hello?name=Ada", nil)
	req.RemoteAddr = "10.0.0.7:51234"
	req.Header.Set("User-Agent", "checkout/1.2")
	req.Header.Set("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
	h.ServeHTTP(httptest.NewRecorder(), req)

	ended := spans.Ended()
	if len(ended) != 1 {
		t.Fatalf("recorded %d spans, want 1", len(ended))
	}
	got := attrMap(ended[0].Attributes())
	want := map[string]any{
		"http.request.method":       "GET",
		"url.scheme":                "http",
		"url.path":                  "/api/v1/hello",
		"http.route":                "/api/v1/hello",
		"server.address":            "api.example.com",
		"server.port":               int64(8443),
		"network.peer.address":      "10.0.0.7",
		"network.peer.port":         int64(51234),
		"client.address":            "203.0.113.9", // the first X-Forwarded-For entry
		"user_agent.original":       "checkout/1.2",
		"network.protocol.version":  "1.1",
		"http.response.status_code": int64(200),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("attributes = %v, want exactly %v", got, want)
	}
	if ended[0].Status().Code != codes.Unset {
		t.Errorf("status = %v, want unset for a 200", ended[0].Status())
	}
}

func TestUnsampledRequestsAreStillCounted(t *testing.T) {
	h, spans, reader := instrumented(t, sdktrace.NeverSample(), apiRoutes())
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v1/hello", nil))
	}
	if n := len(spans.Ended()); n != 0 {
		t.Errorf("recorded %d spans, want none", n)
	}
	points := durations(t, reader)
	if len(points) != 1 || points[0].Count != 3 {
		t.Fatalf("duration points = %+v, want one series counting 3 requests", points)
	}
}

// apiRoutes are the service's routes, uninstrumented.
func apiRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	addRoutes(mux, Config{Logger: slog.New(slog.DiscardHandler), Ready: func() bool { return true }})
	return mux
}

// statusMux answers GET /status/{code} with that status code.
func statusMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		w.WriteHeader(code)
	})
	return mux
}

func TestServerErrors(t *testing.T) {
	tests := []struct {
		code       int
		wantStatus codes.Code
		wantError  string // error.type on the duration metric
	}{
		{http.StatusNotFound, codes.Unset, ""}, // the client's error, not the server's
		{http.StatusServiceUnavailable, codes.Error, "503"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			h, spans, reader := instrumented(t, sdktrace.AlwaysSample(), statusMux())
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, fmt.Sprintf("/status/%d", tt.code), nil))

			span := spans.Ended()[0]
			if span.Name() != "GET /status/{code}" {
				t.Errorf("span name = %q, want the route", span.Name())
			}
			if span.Status().Code != tt.wantStatus {
				t.Errorf("span status = %v, want %v", span.Status().Code, tt.wantStatus)
			}
			p := durations(t, reader)[0]
			if got, _ := p.Attributes.Value("http.response.status_code"); got.AsInt64() != int64(tt.code) {
				t.Errorf("http.response.status_code = %v, want %d", got.Emit(), tt.code)
			}
			if got, _ := p.Attributes.Value("error.type"); got.Emit() != tt.wantError {
				t.Errorf("error.type = %q, want %q", got.Emit(), tt.wantError)
			}
		})
	}
}

func TestMadeUpMethodsAreRecordedAsOther(t *testing.T) {
	h, spans, reader := instrumented(t, sdktrace.AlwaysSample(), apiRoutes())
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PURGE", "/api/v1/hello", nil))

	span := spans.Ended()[0]
	if span.Name() != "HTTP" {
		t.Errorf("span name = %q, want HTTP", span.Name())
	}
	attrs := attrMap(span.Attributes())
	if attrs["http.request.method"] != "_OTHER" || attrs["http.request.method_original"] != "PURGE" {
		t.Errorf("method attributes = %v / %v, want _OTHER / PURGE", attrs["http.request.method"], attrs["http.request.method_original"])
	}
	p := durations(t, reader)[0]
	if got, _ := p.Attributes.Value("http.request.method"); got.Emit() != "_OTHER" {
		t.Errorf("metric http.request.method = %q, want _OTHER", got.Emit())
	}
}

func TestMetricAttributeSetsAreBounded(t *testing.T) {
	h, _, reader := instrumented(t, sdktrace.NeverSample(), statusMux())
	inst := h.(*serverTelemetry)
	const statuses = maxMetricSets + 50
	for code := 200; code < 200+statuses; code++ {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, fmt.Sprintf("/status/%d", code), nil))
	}
	cached := 0
	inst.sets.cache.Range(func(any, any) bool { cached++; return true })
	if cached != maxMetricSets {
		t.Errorf("cached %d attribute sets, want at most %d", cached, maxMetricSets)
	}
	// Past the bound every request is still counted under its own status.
	seen := map[int64]bool{}
	for _, p := range durations(t, reader) {
		code, _ := p.Attributes.Value("http.response.status_code")
		seen[code.AsInt64()] = p.Count == 1
	}
	for code := 200; code < 200+statuses; code++ {
		if !seen[int64(code)] {
			t.Fatalf("status %d was not counted exactly once", code)
		}
	}
}

// Streaming handlers reach the connection through http.Flusher and
// http.ResponseController, across the instrumentation's ResponseWriter.
func TestStreamingThroughTheInstrumentation(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			http.Error(w, "no ResponseController: "+err.Error(), http.StatusInternalServerError)
			return
		}
		for i := range 3 {
			fmt.Fprintf(w, "event %d\n", i)
			w.(http.Flusher).Flush()
		}
	})
	h, spans, _ := instrumented(t, sdktrace.AlwaysSample(), mux)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	resp, err := http.Get(srv.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || string(body) != "event 0\nevent 1\nevent 2\n" {
		t.Fatalf("GET /stream = %d %q", resp.StatusCode, body)
	}
	if len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("transfer encoding = %v, want chunked (flushed before the end)", resp.TransferEncoding)
	}
	srv.Close() // waits for the handler, and so for the span to end
	if got := attrMap(spans.Ended()[0].Attributes())["http.response.status_code"]; got != int64(200) {
		t.Errorf("http.response.status_code = %v, want 200", got)
	}
}
