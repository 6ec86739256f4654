// Package telemetry sets up OpenTelemetry tracing and metrics from the
// standard OTEL_* environment variables, so the same Kubernetes env block
// configures every service of the platform.
//
// The SDK and the OTLP/HTTP exporter read most variables themselves:
//
//   - OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES: resource (service.name wins from OTEL_SERVICE_NAME)
//   - OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
//     (used as is), plus the _HEADERS, _TIMEOUT, _COMPRESSION, _INSECURE and _CERTIFICATE variants
//   - OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG: sampler (default parentbased_always_on)
//   - OTEL_METRIC_EXPORT_INTERVAL, OTEL_METRIC_EXPORT_TIMEOUT (ms): periodic metric export
//   - OTEL_METRICS_EXEMPLAR_FILTER: always_on, always_off or trace_based; unlike the
//     SDK's default (trace_based), unset here means always_off: no exemplars
//   - OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (used as is; otherwise /v1/metrics is appended to
//     OTEL_EXPORTER_OTLP_ENDPOINT) and its _HEADERS, _TIMEOUT, ... variants
//
// This package handles the ones the Go SDK ignores:
//
//   - OTEL_SDK_DISABLED=true: no-op tracer and meter providers (W3C propagation still works)
//   - OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER: "otlp" (default) or "none"; anything else is an error
//   - OTEL_EXPORTER_OTLP_[TRACES_|METRICS_]PROTOCOL: "http/protobuf" (default), or "http/json"
//     for traces only; "grpc" is an error because these exporters only speak OTLP over HTTP
//   - OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_EXPORT_TIMEOUT, OTEL_BSP_MAX_QUEUE_SIZE,
//     OTEL_BSP_MAX_EXPORT_BATCH_SIZE: read by this package's span batcher (batch.go), which
//     replaces the SDK's BatchSpanProcessor; invalid values are an error
//
// Spans reach the collector through the OTLP/HTTP client of otlptracehttp,
// converted to OTLP by export.go instead of otlptrace.Exporter (same messages,
// without the per-span garbage).
//
// Metrics: the service's HTTP instrumentation records http.server.request.duration
// on the global MeterProvider installed here, and Setup starts the Go runtime
// metrics (go.memory.*, go.goroutine.count, go.schedule.duration, ...).
//
// Propagators are always W3C tracecontext and baggage; OTEL_PROPAGATORS is not read.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/exemplar"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Setup installs the global TracerProvider and MeterProvider and the W3C
// tracecontext+baggage propagators. Call shutdown before the process exits:
// it flushes buffered spans and exports the last metrics, so give it a
// context with a deadline.
func Setup(ctx context.Context) (shutdown func(context.Context) error, err error) {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{},
		propagation.Baggage{},
	))

	if Disabled() {
		otel.SetTracerProvider(noop.NewTracerProvider())
		otel.SetMeterProvider(metricnoop.NewMeterProvider())
		return func(context.Context) error { return nil }, nil
	}

	traceOpts, err := traceExporterOptions(ctx)
	if err != nil {
		return nil, err
	}
	metricOpts, err := metricReaderOptions(ctx)
	if err != nil {
		return nil, err
	}

	res, err := NewResource(ctx)
	if err != nil {
		return nil, err
	}

	// The sampler comes from OTEL_TRACES_SAMPLER/_ARG, read by the SDK.
	tp := sdktrace.NewTracerProvider(append(traceOpts, sdktrace.WithResource(res))...)
	// Same resource as the spans: service.name and the cost-tag attributes.
	mp := sdkmetric.NewMeterProvider(append(metricOpts, sdkmetric.WithResource(res))...)
	if err := runtime.Start(runtime.WithMeterProvider(mp)); err != nil {
		return nil, fmt.Errorf("telemetry: start runtime metrics: %w", err)
	}
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	return func(ctx context.Context) error {
		return errors.Join(tp.Shutdown(ctx), mp.Shutdown(ctx))
	}, nil
}

// Disabled reports whether OTEL_SDK_DISABLED is "true" (case-insensitive).
// Per the specification every other value, including empty, means enabled.
func Disabled() bool {
	return strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true")
}

// NewResource describes this process: service.name and service.instance.id,
// telemetry.sdk.*, host.name and the Go runtime, overridden by
// OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME. Without OTEL_SERVICE_NAME
// the service is called "unknown_service:<executable>".
func NewResource(ctx context.Context) (*resource.Resource, error) {
	res, err := resource.New(ctx,
		resource.WithService(),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithProcessRuntimeName(),
		resource.WithProcessRuntimeVersion(),
		resource.WithFromEnv(), // last, so the environment wins
	)
	if errors.Is(err, resource.ErrPartialResource) {
		// A detector failed (e.g. a malformed OTEL_RESOURCE_ATTRIBUTES entry):
		// keep what was detected and report the rest through the OTel error handler.
		otel.Handle(err)
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("telemetry: build resource: %w", err)
	}
	return res, nil
}

// exporter reads OTEL_<SIGNAL>_EXPORTER: true for otlp (the default), false for none.
func exporter(signal string) (bool, error) {
	name := "OTEL_" + signal + "_EXPORTER"
	switch exp := strings.TrimSpace(os.Getenv(name)); exp {
	case "", "otlp":
		return true, nil
	case "none":
		return false, nil
	default:
		return false, fmt.Errorf("telemetry: %s=%q is not supported (use otlp or none)", name, exp)
	}
}

// checkProtocol rejects OTEL_EXPORTER_OTLP_[<SIGNAL>_]PROTOCOL values the
// signal's OTLP/HTTP exporter cannot honour.
func checkProtocol(signal string, supported ...string) error {
	protocol := strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_" + signal + "_PROTOCOL"))
	if protocol == "" {
		protocol = strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL"))
	}
	if protocol == "" || slices.Contains(supported, protocol) {
		return nil
	}
	return fmt.Errorf("telemetry: OTLP protocol %q is not supported for %s (use %s on port 4318)",
		protocol, strings.ToLower(signal), strings.Join(supported, " or "))
}

func traceExporterOptions(ctx context.Context) ([]sdktrace.TracerProviderOption, error) {
	if on, err := exporter("TRACES"); !on {
		return nil, err
	}
	if err := checkProtocol("TRACES", "http/protobuf", "http/json"); err != nil {
		return nil, err
	}
	batching, err := batchConfigFromEnv()
	if err != nil {
		return nil, err
	}
	// Endpoint, headers, timeout, compression and TLS come from OTEL_EXPORTER_OTLP_*.
	exporter, err := newSpanExporter(ctx, otlptracehttp.NewClient())
	if err != nil {
		return nil, fmt.Errorf("telemetry: create OTLP/HTTP trace exporter: %w", err)
	}
	return []sdktrace.TracerProviderOption{
		sdktrace.WithSpanProcessor(newBatchProcessor(exporter, batching)),
	}, nil
}

func metricReaderOptions(ctx context.Context) ([]sdkmetric.Option, error) {
	if on, err := exporter("METRICS"); !on {
		return nil, err
	}
	if err := checkProtocol("METRICS", "http/protobuf"); err != nil {
		return nil, err
	}
	exporter, err := otlpmetrichttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("telemetry: create OTLP/HTTP metric exporter: %w", err)
	}
	// The reader takes its interval from OTEL_METRIC_EXPORT_INTERVAL and
	// exports once more on shutdown.
	opts := []sdkmetric.Option{sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exporter))}
	switch filter := strings.TrimSpace(os.Getenv("OTEL_METRICS_EXEMPLAR_FILTER")); strings.ToLower(filter) {
	case "always_on", "always_off", "trace_based": // the SDK reads the variable itself
	case "":
		// No exemplars unless asked for:
		// with the SDK's default, trace_based, every measurement made in a
		// sampled request also stores its trace and span id and time in
		// the histogram (time.Now, a lock and a copy per request at 100 %
		// sampling), and the collector receives them with every export.
		opts = append(opts, sdkmetric.WithExemplarFilter(exemplar.AlwaysOffFilter))
	default:
		return nil, fmt.Errorf("telemetry: OTEL_METRICS_EXEMPLAR_FILTER=%q is not supported (use always_on, always_off or trace_based)", filter)
	}
	for _, name := range droppedMetrics {
		opts = append(opts, sdkmetric.WithView(sdkmetric.NewView(
			sdkmetric.Instrument{Name: name},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationDrop{}},
		)))
	}
	return opts, nil
}

// droppedMetrics are recorded by otelhttp (for handlers a service wraps in
// otelhttp.NewHandler) on every request but not kept: aggregating them was a
// third of the per-request cost of metrics (pprof under wrk), and request and
// response sizes of an API say little that the duration histogram and the
// spans do not.
var droppedMetrics = []string{
	"http.server.request.body.size",
	"http.server.response.body.size",
}
