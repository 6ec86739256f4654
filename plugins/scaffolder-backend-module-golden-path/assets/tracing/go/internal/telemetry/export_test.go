package telemetry

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// capturingClient keeps what each upload would send, marshalled at upload
// time as the OTLP/HTTP client does, so reused messages cannot change it later.
type capturingClient struct {
	mu      sync.Mutex
	uploads [][]byte
	err     error
	started bool
	stopped bool
}

func (c *capturingClient) Start(context.Context) error { c.started = true; return nil }
func (c *capturingClient) Stop(context.Context) error  { c.stopped = true; return nil }
func (c *capturingClient) UploadTraces(_ context.Context, rs []*tracepb.ResourceSpans) error {
	b, err := proto.Marshal(&tracepb.TracesData{ResourceSpans: rs})
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.uploads = append(c.uploads, b)
	return c.err
}

// decoded returns upload i with resources and scopes in a fixed order
// (otlptrace groups them through a map, so its order varies).
func (c *capturingClient) decoded(t *testing.T, i int) *tracepb.TracesData {
	t.Helper()
	var td tracepb.TracesData
	if err := proto.Unmarshal(c.uploads[i], &td); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(td.ResourceSpans, func(a, b *tracepb.ResourceSpans) int {
		return cmp.Compare(a.GetSchemaUrl()+a.GetResource().String(), b.GetSchemaUrl()+b.GetResource().String())
	})
	for _, rs := range td.ResourceSpans {
		slices.SortFunc(rs.ScopeSpans, func(a, b *tracepb.ScopeSpans) int {
			return cmp.Compare(a.GetScope().String(), b.GetScope().String())
		})
	}
	return &td
}

// testSpans covers every field and attribute type a span can carry, from two
// resources and three instrumentation scopes.
func testSpans(n int) []sdktrace.ReadOnlySpan {
	tid := trace.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	ts, _ := trace.ParseTraceState("vendor=x")
	resA := resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0", attribute.String("service.name", "a"), attribute.String("cost_center", "CC-1"))
	resB := resource.NewSchemaless(attribute.String("service.name", "b"))
	scopes := []instrumentation.Scope{
		{Name: "example.com/svc/internal/httpapi"},
		{Name: "db", Version: "1.2.3", SchemaURL: "https://opentelemetry.io/schemas/1.26.0", Attributes: attribute.NewSet(attribute.Bool("pooled", true))},
		{},
	}
	start := time.Unix(1_700_000_000, 123)
	var spans []sdktrace.ReadOnlySpan
	for i := range n {
		sid := trace.SpanID{1, 2, 3, 4, 5, 6, 7, byte(i + 1)}
		stub := tracetest.SpanStub{
			Name: "GET /api/v1/hello",
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
				TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled, TraceState: ts,
			}),
			SpanKind:  trace.SpanKind(i % 6),
			StartTime: start,
			EndTime:   start.Add(time.Duration(i+1) * time.Millisecond),
			Attributes: []attribute.KeyValue{
				attribute.String("http.request.method", "GET"),
				attribute.Int("http.response.status_code", 200+i),
				attribute.Bool("ok", i%2 == 0),
				attribute.Float64("ratio", 0.5),
				attribute.StringSlice("tags", []string{"a", "b"}),
				attribute.Int64Slice("ints", []int64{1, 2}),
				attribute.Float64Slice("floats", []float64{1.5}),
				attribute.BoolSlice("bools", []bool{true, false}),
				{Key: "empty"},
			},
			DroppedAttributes:    i,
			Resource:             []*resource.Resource{resA, resB}[i%2],
			InstrumentationScope: scopes[i%3],
		}
		if i%2 == 1 {
			stub.Parent = trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: trace.SpanID{9, 9, 9, 9, 9, 9, 9, 9}, Remote: true})
			stub.Status = sdktrace.Status{Code: codes.Error, Description: "boom"}
			stub.Events = []sdktrace.Event{{Name: "exception", Time: start, Attributes: []attribute.KeyValue{attribute.String("exception.type", "io")}, DroppedAttributeCount: 1}}
			stub.Links = []sdktrace.Link{{SpanContext: stub.Parent, Attributes: []attribute.KeyValue{attribute.Int("n", 1)}, DroppedAttributeCount: 2}}
			stub.DroppedEvents, stub.DroppedLinks = 3, 4
		}
		if i%3 == 2 {
			stub.Status = sdktrace.Status{Code: codes.Ok}
		}
		spans = append(spans, stub.Snapshot())
	}
	return spans
}

// The OTLP messages are those otlptrace.Exporter sends, batch after batch,
// although the second batch overwrites the first one's messages.
func TestSpanExporterSendsWhatOtlptraceSends(t *testing.T) {
	ctx := context.Background()
	want := &capturingClient{}
	reference, err := otlptrace.New(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	got := &capturingClient{}
	exporter, err := newSpanExporter(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	batches := [][]sdktrace.ReadOnlySpan{testSpans(12), testSpans(3), testSpans(40)}
	for _, batch := range batches {
		if err := reference.ExportSpans(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if err := exporter.ExportSpans(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	if len(got.uploads) != len(batches) {
		t.Fatalf("%d uploads, want %d", len(got.uploads), len(batches))
	}
	for i := range batches {
		if w, g := want.decoded(t, i), got.decoded(t, i); !proto.Equal(w, g) {
			t.Errorf("batch %d differs from otlptrace's:\n got %v\nwant %v", i, g, w)
		}
	}

	if err := exporter.ExportSpans(ctx, nil); err != nil || len(got.uploads) != len(batches) {
		t.Errorf("empty batch: err %v, %d uploads; want no upload", err, len(got.uploads))
	}
	got.err = errors.New("collector down")
	if err := exporter.ExportSpans(ctx, testSpans(1)); err == nil {
		t.Error("upload error not returned")
	}
	if err := exporter.Shutdown(ctx); err != nil || !got.stopped {
		t.Errorf("Shutdown: err %v, client stopped %v", err, got.stopped)
	}
	n := len(got.uploads)
	if err := exporter.ExportSpans(ctx, testSpans(1)); err != nil || len(got.uploads) != n {
		t.Errorf("export after Shutdown: err %v, uploads %d -> %d; want nothing sent", err, n, len(got.uploads))
	}
}
