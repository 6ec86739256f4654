package telemetry

import (
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
)

const (
	incomingTraceID  = "4bf92f3577b34da6a3ce929d0e0e4736"
	incomingParentID = "00f067aa0ba902b7"
	incomingParent   = "00-" + incomingTraceID + "-" + incomingParentID + "-01"
)

// otelEnv lists every variable these tests depend on. isolate blanks them
// (empty means unset for the SDK) so the host environment cannot leak in.
var otelEnv = []string{
	"OTEL_SDK_DISABLED",
	"OTEL_SERVICE_NAME",
	"OTEL_RESOURCE_ATTRIBUTES",
	"OTEL_TRACES_EXPORTER",
	"OTEL_TRACES_SAMPLER",
	"OTEL_TRACES_SAMPLER_ARG",
	"OTEL_EXPORTER_OTLP_ENDPOINT",
	"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
	"OTEL_EXPORTER_OTLP_PROTOCOL",
	"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
	"OTEL_METRICS_EXPORTER",
	"OTEL_METRIC_EXPORT_INTERVAL",
	"OTEL_METRICS_EXEMPLAR_FILTER",
	"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
	"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
	"OTEL_BSP_SCHEDULE_DELAY",
	"OTEL_BSP_EXPORT_TIMEOUT",
	"OTEL_BSP_MAX_QUEUE_SIZE",
	"OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
}

// isolate clears the OTEL_* environment, sets env, and restores the global
// tracer and meter providers and the propagator afterwards. Tests using it cannot run in parallel.
func isolate(t *testing.T, env map[string]string) {
	t.Helper()
	for _, k := range otelEnv {
		t.Setenv(k, "")
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	tp, mp, prop := otel.GetTracerProvider(), otel.GetMeterProvider(), otel.GetTextMapPropagator()
	t.Cleanup(func() {
		otel.SetTracerProvider(tp)
		otel.SetMeterProvider(mp)
		otel.SetTextMapPropagator(prop)
	})
}

// incomingContext returns a context carrying the remote parent of incomingParent.
func incomingContext() context.Context {
	carrier := propagation.HeaderCarrier(http.Header{})
	carrier.Set("traceparent", incomingParent)
	return otel.GetTextMapPropagator().Extract(context.Background(), carrier)
}

func TestDisabled(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{
		{"", false},
		{"false", false},
		{"1", false}, // only "true" counts, per the OTel specification
		{"yes", false},
		{"true", true},
		{"TRUE", true},
		{" True ", true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			t.Setenv("OTEL_SDK_DISABLED", tt.value)
			if got := Disabled(); got != tt.want {
				t.Errorf("Disabled() with OTEL_SDK_DISABLED=%q = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestSetupDisabledInstallsNoopButPropagates(t *testing.T) {
	isolate(t, map[string]string{
		"OTEL_SDK_DISABLED": "true",
		// Would fail Setup if it were read: proves nothing else is configured.
		"OTEL_TRACES_EXPORTER": "console",
	})

	shutdown, err := Setup(context.Background())
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	if err := shutdown(context.Background()); err != nil {
		t.Errorf("shutdown: %v", err)
	}

	ctx, span := otel.Tracer("test").Start(incomingContext(), "op")
	defer span.End()
	if span.IsRecording() {
		t.Error("span is recording, want the no-op provider")
	}

	out := propagation.HeaderCarrier(http.Header{})
	otel.GetTextMapPropagator().Inject(ctx, out)
	if got := out.Get("traceparent"); got != incomingParent {
		t.Errorf("outgoing traceparent = %q, want the incoming %q", got, incomingParent)
	}
	if fields := otel.GetTextMapPropagator().Fields(); !slices.Contains(fields, "baggage") {
		t.Errorf("propagator fields = %v, want baggage too", fields)
	}
}

func TestSetupSamplerFromEnv(t *testing.T) {
	tests := []struct {
		name        string
		sampler     string
		arg         string
		wantSampled bool
	}{
		{name: "default is parentbased_always_on", wantSampled: true},
		{name: "always_off", sampler: "always_off", wantSampled: false},
		{name: "traceidratio 0", sampler: "traceidratio", arg: "0", wantSampled: false},
		{name: "traceidratio 1", sampler: "traceidratio", arg: "1", wantSampled: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t, map[string]string{
				"OTEL_TRACES_EXPORTER":    "none",
				"OTEL_TRACES_SAMPLER":     tt.sampler,
				"OTEL_TRACES_SAMPLER_ARG": tt.arg,
			})
			shutdown, err := Setup(context.Background())
			if err != nil {
				t.Fatalf("Setup: %v", err)
			}
			t.Cleanup(func() { _ = shutdown(context.Background()) })

			_, span := otel.Tracer("test").Start(context.Background(), "root")
			span.End()
			if got := span.SpanContext().IsSampled(); got != tt.wantSampled {
				t.Errorf("sampled = %v, want %v", got, tt.wantSampled)
			}
		})
	}
}

func TestSetupRejectsUnsupportedConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{
			name:    "console exporter",
			env:     map[string]string{"OTEL_TRACES_EXPORTER": "console"},
			wantErr: "OTEL_TRACES_EXPORTER",
		},
		{
			name:    "grpc protocol",
			env:     map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
			wantErr: "grpc",
		},
		{
			name:    "console metrics exporter",
			env:     map[string]string{"OTEL_METRICS_EXPORTER": "prometheus"},
			wantErr: "OTEL_METRICS_EXPORTER",
		},
		{
			name:    "json metrics",
			env:     map[string]string{"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "http/json"},
			wantErr: "for metrics",
		},
		{
			name:    "exemplar filter typo",
			env:     map[string]string{"OTEL_METRICS_EXEMPLAR_FILTER": "tracebased"},
			wantErr: "OTEL_METRICS_EXEMPLAR_FILTER",
		},
		{
			name: "traces protocol wins",
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_PROTOCOL":        "http/protobuf",
				"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc",
			},
			wantErr: "grpc",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t, tt.env)
			_, err := Setup(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Setup error = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewResourceFromEnv(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		wantName string // prefix match when it ends with ":"
		wantAttr map[string]string
	}{
		{
			name:     "no env",
			wantName: "unknown_service:",
		},
		{
			name:     "OTEL_SERVICE_NAME",
			env:      map[string]string{"OTEL_SERVICE_NAME": "payments-api"},
			wantName: "payments-api",
		},
		{
			name: "OTEL_SERVICE_NAME beats OTEL_RESOURCE_ATTRIBUTES",
			env: map[string]string{
				"OTEL_SERVICE_NAME":        "payments-api",
				"OTEL_RESOURCE_ATTRIBUTES": "service.name=other,deployment.environment.name=dev,service.namespace=team-payments",
			},
			wantName: "payments-api",
			wantAttr: map[string]string{
				"deployment.environment.name": "dev",
				"service.namespace":           "team-payments",
			},
		},
		{
			name:     "service.name from OTEL_RESOURCE_ATTRIBUTES",
			env:      map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "service.name=from-attrs,service.version=1.2.3"},
			wantName: "from-attrs",
			wantAttr: map[string]string{"service.version": "1.2.3", "telemetry.sdk.language": "go"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t, tt.env)
			res, err := NewResource(context.Background())
			if err != nil {
				t.Fatalf("NewResource: %v", err)
			}
			attrs := map[string]string{}
			for _, kv := range res.Attributes() {
				attrs[string(kv.Key)] = kv.Value.String()
			}
			gotName := attrs["service.name"]
			if strings.HasSuffix(tt.wantName, ":") {
				if !strings.HasPrefix(gotName, tt.wantName) {
					t.Errorf("service.name = %q, want prefix %q", gotName, tt.wantName)
				}
			} else if gotName != tt.wantName {
				t.Errorf("service.name = %q, want %q", gotName, tt.wantName)
			}
			if attrs["service.instance.id"] == "" {
				t.Error("service.instance.id is empty")
			}
			for k, want := range tt.wantAttr {
				if got := attrs[k]; got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestSetupExportsOnShutdown runs the real OTLP/HTTP exporters against an
// in-process receiver (loopback only) and checks that shutdown flushes the
// span batch and exports the metrics, both with the service's resource.
func TestSetupExportsOnShutdown(t *testing.T) {
	var (
		mu      sync.Mutex
		traces  []*coltracepb.ExportTraceServiceRequest
		metrics []*colmetricpb.ExportMetricsServiceRequest
		paths   []string
	)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		paths = append(paths, r.Method+" "+r.URL.Path)
		var req, resp proto.Message
		switch r.URL.Path {
		case "/v1/traces":
			tr := &coltracepb.ExportTraceServiceRequest{}
			traces = append(traces, tr)
			req, resp = tr, &coltracepb.ExportTraceServiceResponse{}
		case "/v1/metrics":
			mr := &colmetricpb.ExportMetricsServiceRequest{}
			metrics = append(metrics, mr)
			req, resp = mr, &colmetricpb.ExportMetricsServiceResponse{}
		default:
			http.NotFound(w, r)
			return
		}
		if err := proto.Unmarshal(body, req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(resp)
		_, _ = w.Write(out)
	}))
	t.Cleanup(collector.Close)

	isolate(t, map[string]string{
		"OTEL_SERVICE_NAME":           "payments-api",
		"OTEL_RESOURCE_ATTRIBUTES":    "cost_center=CC-1001",
		"OTEL_EXPORTER_OTLP_ENDPOINT": collector.URL, // http:// => plain text; /v1/traces and /v1/metrics are appended
		"OTEL_METRIC_EXPORT_INTERVAL": "3600000",     // only the export on shutdown
	})
	shutdown, err := Setup(context.Background())
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}

	_, span := otel.Tracer("test").Start(incomingContext(), "GET /things")
	span.End()
	counter, err := otel.Meter("test").Int64Counter("things.created")
	if err != nil {
		t.Fatal(err)
	}
	counter.Add(context.Background(), 2)
	bodySize, err := otel.Meter("test").Int64Histogram("http.server.request.body.size")
	if err != nil {
		t.Fatal(err)
	}
	bodySize.Record(context.Background(), 512)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(traces) != 1 || len(metrics) != 1 {
		t.Fatalf("collector got %d trace and %d metric export requests, want 1 each (paths %v)", len(traces), len(metrics), paths)
	}
	rs := traces[0].GetResourceSpans()
	if len(rs) != 1 || len(rs[0].GetScopeSpans()) != 1 || len(rs[0].GetScopeSpans()[0].GetSpans()) != 1 {
		t.Fatalf("want exactly one span, got %v", traces[0])
	}
	if got := resourceAttr(rs[0].GetResource().GetAttributes(), "service.name"); got != "payments-api" {
		t.Errorf("exported span service.name = %q, want payments-api", got)
	}
	got := rs[0].GetScopeSpans()[0].GetSpans()[0]
	if tid := hex.EncodeToString(got.GetTraceId()); tid != incomingTraceID {
		t.Errorf("exported trace id = %s, want %s", tid, incomingTraceID)
	}
	if pid := hex.EncodeToString(got.GetParentSpanId()); pid != incomingParentID {
		t.Errorf("exported parent span id = %s, want %s", pid, incomingParentID)
	}

	rm := metrics[0].GetResourceMetrics()
	if len(rm) != 1 {
		t.Fatalf("want one resource in the metric export, got %v", metrics[0])
	}
	for key, want := range map[string]string{"service.name": "payments-api", "cost_center": "CC-1001"} {
		if got := resourceAttr(rm[0].GetResource().GetAttributes(), key); got != want {
			t.Errorf("exported metrics resource %s = %q, want %q", key, got, want)
		}
	}
	names := map[string]bool{}
	for _, sm := range rm[0].GetScopeMetrics() {
		for _, m := range sm.GetMetrics() {
			names[m.GetName()] = true
		}
	}
	for _, want := range []string{"things.created", "go.memory.used", "go.goroutine.count"} {
		if !names[want] {
			t.Errorf("metric %s not exported; got %v", want, names)
		}
	}
	if names["http.server.request.body.size"] {
		t.Error("http.server.request.body.size exported, want it dropped")
	}
}

func resourceAttr(kvs []*commonpb.KeyValue, key string) string {
	for _, kv := range kvs {
		if kv.GetKey() == key {
			return kv.GetValue().GetStringValue()
		}
	}
	return ""
}

// Exemplars stay off unless OTEL_METRICS_EXEMPLAR_FILTER asks for them.
func TestExemplarsOnlyWhenAskedFor(t *testing.T) {
	for _, tt := range []struct {
		filter string
		want   bool
	}{{"", false}, {"trace_based", true}} {
		t.Run("filter="+tt.filter, func(t *testing.T) {
			var (
				mu      sync.Mutex
				exports []*colmetricpb.ExportMetricsServiceRequest
			)
			collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				if r.URL.Path == "/v1/metrics" {
					m := &colmetricpb.ExportMetricsServiceRequest{}
					if err := proto.Unmarshal(body, m); err != nil {
						http.Error(w, err.Error(), http.StatusBadRequest)
						return
					}
					mu.Lock()
					exports = append(exports, m)
					mu.Unlock()
				}
				w.Header().Set("Content-Type", "application/x-protobuf")
			}))
			t.Cleanup(collector.Close)
			isolate(t, map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":  collector.URL,
				"OTEL_METRIC_EXPORT_INTERVAL":  "3600000",
				"OTEL_METRICS_EXEMPLAR_FILTER": tt.filter,
			})
			shutdown, err := Setup(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			ctx, span := otel.Tracer("test").Start(context.Background(), "request") // sampled: parentbased_always_on
			duration, err := otel.Meter("test").Float64Histogram("http.server.request.duration")
			if err != nil {
				t.Fatal(err)
			}
			duration.Record(ctx, 0.003)
			span.End()
			if err := shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			found, exemplars := false, 0
			for _, e := range exports {
				for _, rm := range e.GetResourceMetrics() {
					for _, sm := range rm.GetScopeMetrics() {
						for _, m := range sm.GetMetrics() {
							if m.GetName() != "http.server.request.duration" {
								continue
							}
							for _, p := range m.GetHistogram().GetDataPoints() {
								found = true
								exemplars += len(p.GetExemplars())
							}
						}
					}
				}
			}
			if !found {
				t.Fatal("histogram not exported")
			}
			if got := exemplars > 0; got != tt.want {
				t.Errorf("exemplars exported: %d, want any: %v", exemplars, tt.want)
			}
		})
	}
}
