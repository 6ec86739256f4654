package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"${{ values.goModule }}/internal/telemetry"
)

func TestServerSpanContinuesIncomingTrace(t *testing.T) {
	const (
		traceID  = "4bf92f3577b34da6a3ce929d0e0e4736"
		parentID = "00f067aa0ba902b7"
	)
	tests := []struct {
		name        string
		target      string
		traceparent string
		wantName    string
		wantRoute   string
		wantStatus  int64
	}{
		{
			name:        "api call continues the caller's trace",
			target:      "/api/v1/hello?name=Ada",
			traceparent: "00-" + traceID + "-" + parentID + "-01",
			wantName:    "GET /api/v1/hello",
			wantRoute:   "/api/v1/hello",
			wantStatus:  http.StatusOK,
		},
		{
			name:       "request without traceparent starts a new trace",
			target:     "/api/v1/hello",
			wantName:   "GET /api/v1/hello",
			wantRoute:  "/api/v1/hello",
			wantStatus: http.StatusOK,
		},
		{
			name:        "unmatched request is named after the method only",
			target:      "/nope",
			traceparent: "00-" + traceID + "-" + parentID + "-01",
			wantName:    "GET",
			wantStatus:  http.StatusNotFound,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The resource comes from the same code and env vars as in production.
			t.Setenv("OTEL_SERVICE_NAME", "hello-service")
			t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "")
			res, err := telemetry.NewResource(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			recorder := tracetest.NewSpanRecorder() // synchronous: no flush needed
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder), sdktrace.WithResource(res))
			t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

			h := NewServer(Config{TracerProvider: tp, Propagators: propagation.TraceContext{}})
			req := httptest.NewRequest(http.MethodGet, tt.target, nil)
			if tt.traceparent != "" {
				req.Header.Set("traceparent", tt.traceparent)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)

			spans := recorder.Ended()
			if len(spans) != 1 {
				t.Fatalf("recorded %d spans, want 1", len(spans))
			}
			span := spans[0]

			if span.SpanKind() != trace.SpanKindServer {
				t.Errorf("span kind = %v, want server", span.SpanKind())
			}
			if span.Name() != tt.wantName {
				t.Errorf("span name = %q, want %q", span.Name(), tt.wantName)
			}
			if tt.traceparent != "" {
				if got := span.SpanContext().TraceID().String(); got != traceID {
					t.Errorf("trace id = %s, want the incoming %s", got, traceID)
				}
				if got := span.Parent().SpanID().String(); got != parentID {
					t.Errorf("parent span id = %s, want the incoming %s", got, parentID)
				}
				if !span.Parent().IsRemote() {
					t.Error("parent is not marked remote")
				}
			} else if span.Parent().IsValid() {
				t.Errorf("span has parent %s, want a root span", span.Parent().SpanID())
			}

			attrs := attrMap(span.Attributes())
			route, hasRoute := attrs["http.route"]
			switch {
			case tt.wantRoute == "" && hasRoute:
				t.Errorf("http.route = %v, want none", route)
			case tt.wantRoute != "" && route != tt.wantRoute:
				t.Errorf("http.route = %v, want %q", route, tt.wantRoute)
			}
			if got, ok := attrs["http.response.status_code"]; !ok || got.(int64) != tt.wantStatus {
				t.Errorf("http.response.status_code = %v, want %d", got, tt.wantStatus)
			}
			if got := attrMap(span.Resource().Attributes())["service.name"]; got != "hello-service" {
				t.Errorf("resource service.name = %v, want hello-service", got)
			}
		})
	}
}

func attrMap(kvs []attribute.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

func TestProbesAreNotTraced(t *testing.T) {
	for _, path := range []string{"/healthz", "/readyz"} {
		t.Run(path, func(t *testing.T) {
			recorder := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
			t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

			h := NewServer(Config{TracerProvider: tp, Propagators: propagation.TraceContext{}})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))

			if rec.Code != http.StatusOK {
				t.Errorf("status = %d, want 200", rec.Code)
			}
			if n := len(recorder.Ended()); n != 0 {
				t.Errorf("recorded %d spans for %s, want 0", n, path)
			}
		})
	}
}
