package telemetry

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// recordingExporter keeps the size of every batch it is given. While gate is
// non-nil, ExportSpans waits for it to be closed.
type recordingExporter struct {
	mu       sync.Mutex
	batches  []int
	names    []string
	gate     chan struct{}
	shutdown bool
	exported chan struct{} // receives after every export
}

func newRecordingExporter() *recordingExporter {
	return &recordingExporter{exported: make(chan struct{}, 100)}
}

func (e *recordingExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if e.gate != nil {
		select {
		case <-e.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	e.mu.Lock()
	e.batches = append(e.batches, len(spans))
	for _, s := range spans {
		e.names = append(e.names, s.Name())
	}
	e.mu.Unlock()
	e.exported <- struct{}{}
	return nil
}

func (e *recordingExporter) Shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.shutdown = true
	return nil
}

func (e *recordingExporter) state() (batches []int, names []string, shutdown bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]int(nil), e.batches...), append([]string(nil), e.names...), e.shutdown
}

func (e *recordingExporter) waitExport(t *testing.T) {
	t.Helper()
	select {
	case <-e.exported:
	case <-time.After(5 * time.Second):
		t.Fatal("no export within 5s")
	}
}

// tracerWith returns a tracer whose spans go through p, sampled as the sampler says.
func tracerWith(t *testing.T, p sdktrace.SpanProcessor, sampler sdktrace.Sampler) (func(name string), *sdktrace.TracerProvider) {
	t.Helper()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(p))
	tracer := tp.Tracer("test")
	return func(name string) {
		_, span := tracer.Start(context.Background(), name)
		span.End()
	}, tp
}

func TestBatchProcessorExportsFullBatchWithoutWaiting(t *testing.T) {
	exp := newRecordingExporter()
	p := newBatchProcessor(exp, batchConfig{scheduleDelay: time.Hour, exportTimeout: time.Second, maxQueue: 10, maxBatch: 3})
	span, tp := tracerWith(t, p, sdktrace.AlwaysSample())
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

	span("a")
	span("b")
	span("c")
	exp.waitExport(t)
	if batches, names, _ := exp.state(); len(batches) != 1 || batches[0] != 3 || strings.Join(names, ",") != "a,b,c" {
		t.Errorf("exported batches %v with %v, want one batch a,b,c", batches, names)
	}
}

func TestBatchProcessorExportsPartialBatchAfterDelay(t *testing.T) {
	exp := newRecordingExporter()
	p := newBatchProcessor(exp, batchConfig{scheduleDelay: 20 * time.Millisecond, exportTimeout: time.Second, maxQueue: 10, maxBatch: 5})
	span, tp := tracerWith(t, p, sdktrace.AlwaysSample())
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

	span("only")
	exp.waitExport(t)
	if batches, _, _ := exp.state(); len(batches) != 1 || batches[0] != 1 {
		t.Errorf("exported batches %v, want [1]", batches)
	}
}

func TestBatchProcessorSkipsUnsampledSpans(t *testing.T) {
	exp := newRecordingExporter()
	p := newBatchProcessor(exp, batchConfig{scheduleDelay: time.Hour, exportTimeout: time.Second, maxQueue: 10, maxBatch: 5})
	// RecordOnly: recorded (so OnEnd is called) but not sampled.
	span, tp := tracerWith(t, p, recordOnly{})
	span("unsampled")
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if batches, names, _ := exp.state(); len(batches) != 0 {
		t.Errorf("exported %v, want nothing", names)
	}
}

type recordOnly struct{}

func (recordOnly) ShouldSample(sdktrace.SamplingParameters) sdktrace.SamplingResult {
	return sdktrace.SamplingResult{Decision: sdktrace.RecordOnly}
}
func (recordOnly) Description() string { return "RecordOnly" }

func TestBatchProcessorShutdownFlushesInBatches(t *testing.T) {
	exp := newRecordingExporter()
	p := newBatchProcessor(exp, batchConfig{scheduleDelay: time.Hour, exportTimeout: time.Second, maxQueue: 10, maxBatch: 4})
	span, tp := tracerWith(t, p, sdktrace.AlwaysSample())
	exp.gate = make(chan struct{}) // hold the export the full batch triggers until all spans are queued
	for _, name := range []string{"1", "2", "3", "4", "5", "6"} {
		span(name)
	}
	close(exp.gate)
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	span("after shutdown")
	batches, names, shutdown := exp.state()
	if strings.Join(names, ",") != "1,2,3,4,5,6" {
		t.Errorf("exported %v, want 1..6 in order and nothing after shutdown", names)
	}
	for _, n := range batches {
		if n > 4 {
			t.Errorf("batch of %d spans, want at most OTEL_BSP_MAX_EXPORT_BATCH_SIZE=4 (batches %v)", n, batches)
		}
	}
	if !shutdown {
		t.Error("exporter not shut down")
	}
}

func TestBatchProcessorForceFlush(t *testing.T) {
	exp := newRecordingExporter()
	p := newBatchProcessor(exp, batchConfig{scheduleDelay: time.Hour, exportTimeout: time.Second, maxQueue: 10, maxBatch: 5})
	span, tp := tracerWith(t, p, sdktrace.AlwaysSample())
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

	span("x")
	if err := tp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, names, _ := exp.state(); strings.Join(names, ",") != "x" {
		t.Errorf("exported %v after ForceFlush, want x", names)
	}
}

func TestBatchProcessorDropsWhenQueueIsFull(t *testing.T) {
	var handled []error
	var mu sync.Mutex
	prev := otel.GetErrorHandler()
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		handled = append(handled, err)
	}))
	t.Cleanup(func() { otel.SetErrorHandler(prev) })

	exp := newRecordingExporter()
	exp.gate = make(chan struct{}) // the exporter hangs: the queue fills up
	p := newBatchProcessor(exp, batchConfig{scheduleDelay: time.Hour, exportTimeout: time.Minute, maxQueue: 2, maxBatch: 2})
	span, tp := tracerWith(t, p, sdktrace.AlwaysSample())

	span("1")
	span("2") // a full batch: the export goroutine takes both and waits at the gate
	deadline := time.Now().Add(5 * time.Second)
	for { // until the export goroutine has taken the batch off the queue
		p.mu.Lock()
		n := len(p.queue)
		p.mu.Unlock()
		if n == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	span("3")
	span("4")
	span("5") // queue full: dropped
	close(exp.gate)
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, names, _ := exp.state(); strings.Join(names, ",") != "1,2,3,4" {
		t.Errorf("exported %v, want 1,2,3,4", names)
	}
	mu.Lock()
	defer mu.Unlock()
	if err := errors.Join(handled...); err == nil || !strings.Contains(err.Error(), "dropped 1 spans") {
		t.Errorf("error handler got %v, want the dropped span reported", err)
	}
}

func TestBatchConfigFromEnv(t *testing.T) {
	isolate(t, nil)
	cfg, err := batchConfigFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	want := batchConfig{scheduleDelay: 5 * time.Second, exportTimeout: 30 * time.Second, maxQueue: 2048, maxBatch: 512}
	if cfg != want {
		t.Errorf("defaults = %+v, want the specification's %+v", cfg, want)
	}

	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "1000")
	t.Setenv("OTEL_BSP_EXPORT_TIMEOUT", "2000")
	t.Setenv("OTEL_BSP_MAX_QUEUE_SIZE", "100")
	t.Setenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "200") // more than the queue: capped
	cfg, err = batchConfigFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	want = batchConfig{scheduleDelay: time.Second, exportTimeout: 2 * time.Second, maxQueue: 100, maxBatch: 100}
	if cfg != want {
		t.Errorf("from env = %+v, want %+v", cfg, want)
	}

	t.Setenv("OTEL_BSP_MAX_QUEUE_SIZE", "lots")
	if _, err := Setup(context.Background()); err == nil || !strings.Contains(err.Error(), "OTEL_BSP_MAX_QUEUE_SIZE") {
		t.Errorf("Setup error = %v, want one naming OTEL_BSP_MAX_QUEUE_SIZE", err)
	}
}

func TestBatchProcessorShutdownKeepsItsDeadline(t *testing.T) {
	exp := newRecordingExporter()
	exp.gate = make(chan struct{}) // a collector that never answers
	t.Cleanup(func() { close(exp.gate) })
	p := newBatchProcessor(exp, batchConfig{scheduleDelay: time.Hour, exportTimeout: time.Hour, maxQueue: 10, maxBatch: 1})
	span, tp := tracerWith(t, p, sdktrace.AlwaysSample())
	span("stuck") // a full batch: the run goroutine starts an export that hangs

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := tp.Shutdown(ctx)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Shutdown took %v with a 100ms deadline", took)
	}
	if err == nil {
		t.Error("Shutdown = nil, want the deadline error")
	}
}
