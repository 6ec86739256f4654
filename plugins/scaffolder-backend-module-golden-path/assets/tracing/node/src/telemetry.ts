// OpenTelemetry bootstrap, written by the golden-path:tracing action. Load it before any application code:
//   node --import ./dist/telemetry.js dist/main.js
// Everything is configured by the standard OTEL_* environment (service name, OTLP endpoint, sampler, resource
// attributes); OTEL_SDK_DISABLED=true turns the SDK into a no-op.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

const sdk = new NodeSDK({ traceExporter: new OTLPTraceExporter() });
sdk.start();

/** Flushes buffered spans; call it as the last step of a graceful shutdown. */
export function shutdownTelemetry(): Promise<void> {
  return sdk.shutdown();
}
