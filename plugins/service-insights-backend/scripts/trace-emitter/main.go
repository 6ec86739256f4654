// trace-emitter sends one real trace across several services to an OTLP/HTTP endpoint, through the OpenTelemetry
// Go SDK (the SDK the go-api template uses): one TracerProvider per service, each with its own resource
// (service.name and the golden-path cost-tag attributes), the W3C trace context carried from caller to callee as a
// traceparent header, as between real services. It prints the trace id. Used by ../record-trace-fixtures.ts.
//
//	go run . -endpoint http://127.0.0.1:4318 -scenario checkout
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

type service struct {
	name, team, costCenter string
}

// A checkout request: the storefront calls checkout-api, which calls payments-api (whose card charge fails once and
// is retried) and the ledger worker; fraud-scoring is a vendor sidecar no catalog component claims.
var (
	checkout = service{"checkout-api", "team-checkout", "CC-1001"}
	payments = service{"payments-api", "team-payments", "CC-2002"}
	ledger   = service{"ledger-worker", "team-ledger", "CC-2002"}
	fraud    = service{"fraud-scoring", "", ""}
)

func main() {
	endpoint := flag.String("endpoint", "", "OTLP/HTTP base URL, e.g. http://127.0.0.1:4318")
	flag.Parse()
	if *endpoint == "" {
		fmt.Fprintln(os.Stderr, "-endpoint is required")
		os.Exit(2)
	}
	traceID, err := emit(context.Background(), *endpoint)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(traceID)
}

func provider(ctx context.Context, endpoint string, s service) (*sdktrace.TracerProvider, error) {
	exporter, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint+"/v1/traces"))
	if err != nil {
		return nil, err
	}
	attrs := []attribute.KeyValue{semconv.ServiceName(s.name), semconv.DeploymentEnvironmentName("prod")}
	if s.team != "" {
		attrs = append(attrs, attribute.String("team", s.team), attribute.String("cost-center", s.costCenter))
	}
	res, err := resource.New(ctx, resource.WithAttributes(attrs...), resource.WithTelemetrySDK())
	if err != nil {
		return nil, err
	}
	return sdktrace.NewTracerProvider(
		sdktrace.WithSyncer(exporter), // every span is exported when it ends
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
	), nil
}

// call carries the caller's span context to the callee the way HTTP does: a traceparent header.
func call(ctx context.Context) context.Context {
	carrier := propagation.HeaderCarrier{}
	propagation.TraceContext{}.Inject(ctx, carrier)
	return propagation.TraceContext{}.Extract(context.Background(), carrier)
}

func emit(ctx context.Context, endpoint string) (string, error) {
	providers := map[string]*sdktrace.TracerProvider{}
	for _, s := range []service{checkout, payments, ledger, fraud} {
		p, err := provider(ctx, endpoint, s)
		if err != nil {
			return "", err
		}
		providers[s.name] = p
	}
	tracer := func(s service) trace.Tracer { return providers[s.name].Tracer("trace-emitter") }
	work := func(d time.Duration) { time.Sleep(d) }

	root, rootSpan := tracer(checkout).Start(ctx, "POST /api/v1/checkout", trace.WithSpanKind(trace.SpanKindServer))
	{
		_, db := tracer(checkout).Start(root, "SELECT carts", trace.WithSpanKind(trace.SpanKindClient))
		work(2 * time.Millisecond)
		db.End()

		for attempt := 1; attempt <= 2; attempt++ {
			out, client := tracer(checkout).Start(root, "POST payments-api /charges", trace.WithSpanKind(trace.SpanKindClient))
			in, server := tracer(payments).Start(call(out), "POST /charges", trace.WithSpanKind(trace.SpanKindServer))
			score, scoreClient := tracer(payments).Start(in, "POST fraud-scoring /score", trace.WithSpanKind(trace.SpanKindClient))
			_, scoring := tracer(fraud).Start(call(score), "score", trace.WithSpanKind(trace.SpanKindServer))
			work(3 * time.Millisecond)
			scoring.End()
			scoreClient.End()
			if attempt == 1 {
				err := errors.New("card processor timed out")
				server.RecordError(err)
				server.SetStatus(codes.Error, err.Error())
				client.SetStatus(codes.Error, "502 from payments-api")
			}
			server.End()
			client.End()
		}

		out, publish := tracer(checkout).Start(root, "invoices publish", trace.WithSpanKind(trace.SpanKindProducer))
		_, consume := tracer(ledger).Start(call(out), "invoices process", trace.WithSpanKind(trace.SpanKindConsumer))
		work(2 * time.Millisecond)
		consume.End()
		publish.End()
	}
	rootSpan.End()
	traceID := rootSpan.SpanContext().TraceID().String()

	for _, p := range providers {
		if err := p.Shutdown(ctx); err != nil {
			return "", err
		}
	}
	return traceID, nil
}
