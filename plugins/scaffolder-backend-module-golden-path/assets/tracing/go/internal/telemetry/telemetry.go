// Package telemetry sets up OpenTelemetry tracing from the standard OTEL_*
// environment variables, so the same Kubernetes env block configures every
// service of the platform.
//
// The SDK and the OTLP/HTTP exporter read most variables themselves:
//
//   - OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES: resource (service.name wins from OTEL_SERVICE_NAME)
//   - OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
//     (used as is), plus the _HEADERS, _TIMEOUT, _COMPRESSION, _INSECURE and _CERTIFICATE variants
//   - OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG: sampler (default parentbased_always_on)
//   - OTEL_BSP_*: batch span processor limits
//
// This package handles the ones the Go SDK ignores:
//
//   - OTEL_SDK_DISABLED=true: no-op tracer provider (W3C propagation still works)
//   - OTEL_TRACES_EXPORTER: "otlp" (default) or "none"; anything else is an error
//   - OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL: "http/protobuf" (default) or "http/json";
//     "grpc" is an error because this exporter only speaks OTLP over HTTP
//
// Propagators are always W3C tracecontext and baggage; OTEL_PROPAGATORS is not read.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Setup installs the global TracerProvider and the W3C tracecontext+baggage
// propagators. Call shutdown before the process exits: it flushes buffered
// spans, so give it a context with a deadline.
func Setup(ctx context.Context) (shutdown func(context.Context) error, err error) {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{},
		propagation.Baggage{},
	))

	if Disabled() {
		otel.SetTracerProvider(noop.NewTracerProvider())
		return func(context.Context) error { return nil }, nil
	}

	opts, err := exporterOptions(ctx)
	if err != nil {
		return nil, err
	}

	res, err := NewResource(ctx)
	if err != nil {
		return nil, err
	}

	// The sampler comes from OTEL_TRACES_SAMPLER/_ARG, read by the SDK.
	tp := sdktrace.NewTracerProvider(append(opts, sdktrace.WithResource(res))...)
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
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

func exporterOptions(ctx context.Context) ([]sdktrace.TracerProviderOption, error) {
	switch exp := strings.TrimSpace(os.Getenv("OTEL_TRACES_EXPORTER")); exp {
	case "", "otlp":
	case "none":
		return nil, nil
	default:
		return nil, fmt.Errorf("telemetry: OTEL_TRACES_EXPORTER=%q is not supported (use otlp or none)", exp)
	}

	protocol := strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"))
	if protocol == "" {
		protocol = strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL"))
	}
	switch protocol {
	case "", "http/protobuf", "http/json":
	default:
		return nil, fmt.Errorf("telemetry: OTLP protocol %q is not supported (use http/protobuf or http/json on port 4318)", protocol)
	}

	// Endpoint, headers, timeout, compression and TLS come from OTEL_EXPORTER_OTLP_*.
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("telemetry: create OTLP/HTTP trace exporter: %w", err)
	}
	return []sdktrace.TracerProviderOption{sdktrace.WithBatcher(exporter)}, nil
}
