package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/trace/noop"
)

// durations collects the http.server.request.duration histogram points.
func durations(t *testing.T, reader *sdkmetric.ManualReader) []metricdata.HistogramDataPoint[float64] {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "http.server.request.duration" {
				continue
			}
			if m.Unit != "s" {
				t.Errorf("unit = %q, want s", m.Unit)
			}
			hist, ok := m.Data.(metricdata.Histogram[float64])
			if !ok {
				t.Fatalf("http.server.request.duration is a %T, want a histogram", m.Data)
			}
			return hist.DataPoints
		}
	}
	return nil
}

func TestRequestsRecordTheDurationHistogram(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	// Metrics do not depend on tracing: an unsampled (no-op) tracer still counts every request.
	h := NewServer(Config{TracerProvider: noop.NewTracerProvider(), MeterProvider: mp})

	for _, target := range []string{"/api/v1/hello?name=Ada", "/api/v1/hello", "/healthz", "/readyz"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil))
	}

	points := durations(t, reader)
	if len(points) != 1 {
		t.Fatalf("got %d duration series, want 1 (probes are not measured): %+v", len(points), points)
	}
	p := points[0]
	if p.Count != 2 {
		t.Errorf("count = %d, want 2 requests", p.Count)
	}
	if p.Sum <= 0 {
		t.Errorf("sum = %v s, want the time spent", p.Sum)
	}
	for key, want := range map[attribute.Key]attribute.Value{
		"http.request.method":       attribute.StringValue(http.MethodGet),
		"http.route":                attribute.StringValue("/api/v1/hello"),
		"http.response.status_code": attribute.IntValue(http.StatusOK),
	} {
		if got, ok := p.Attributes.Value(key); !ok || got != want {
			t.Errorf("%s = %v, want %v", key, got.Emit(), want.Emit())
		}
	}
}
