// OpenTelemetry bootstrap, written by the golden-path:tracing action. Load it before any application code:
//   node --import ./dist/telemetry.js dist/main.js
// and call shutdownTelemetry() as the last step of a graceful shutdown, so the final spans and metrics are exported.
//
// Configured only by the standard OTEL_* environment, read by the SDK itself (OTEL_TRACES_EXPORTER and the traces
// protocol are also read here, to hand the SDK the faster span exporter of src/otlpTraceExport.ts when they ask for
// OTLP http/protobuf, the default):
//   OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES      service.name and other resource attributes
//   OTEL_EXPORTER_OTLP_ENDPOINT                      collector base URL (/v1/traces, /v1/metrics are appended);
//                                                    OTEL_EXPORTER_OTLP_{TRACES,METRICS}_ENDPOINT are used as is
//   OTEL_EXPORTER_OTLP_PROTOCOL                      http/protobuf (default), http/json or grpc
//   OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION
//   OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER      otlp (default), console or none
//   OTEL_METRIC_EXPORT_INTERVAL                      ms between metric exports (default 60000)
//   OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG     e.g. parentbased_traceidratio and 0.1 (default: always on)
//   OTEL_PROPAGATORS                                 default tracecontext,baggage
//   OTEL_BSP_*                                       batch span processor limits
//   OTEL_LOG_LEVEL                                   the SDK's own diagnostics
//   OTEL_SDK_DISABLED=true                           no SDK at all: no spans, no metrics, and no context propagation
// Traces and metrics are exported; logs only when OTEL_LOGS_EXPORTER is set explicitly (they go to stdout as JSON).
// Metrics: the Node.js runtime (event loop delay and utilization, V8 heap, GC) from the runtime instrumentation,
// plus whatever the application records through @opentelemetry/api's metrics.getMeter().
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createOtlpProtobufTraceExporter, usesOtlpProtobufTraces } from './otlpTraceExport.ts';

/**
 * The Node.js runtime metrics. Created disabled and enabled by sdk.start(), so that with OTEL_SDK_DISABLED=true their
 * monitors never run. The event loop delay is sampled every 100 ms instead of the default 10 ms: that is still 600
 * samples between two exports at the policy's 60 s interval, and a tenth of the timer wake-ups, which cost an idle
 * worker about 3 ms of CPU a second.
 */
export const runtimeMetrics = new RuntimeNodeInstrumentation({ enabled: false, monitoringPrecision: 100 });

const env = process.env;
const sdk = new NodeSDK({
  // No readers or processors here means "take them from the environment"; an empty list means "none".
  ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  // Spans to OTLP over HTTP with protobuf (the default) get our exporter, which encodes batches faster
  // (src/otlpTraceExport.ts); the SDK puts it in a batch span processor configured by OTEL_BSP_*, as it does its own.
  // Any other OTEL_TRACES_EXPORTER or protocol is set up by the SDK from the environment.
  ...(usesOtlpProtobufTraces(env) ? { traceExporter: createOtlpProtobufTraceExporter() } : {}),
  instrumentations: [runtimeMetrics],
});
sdk.start();

let shutdown: Promise<void> | undefined;

/**
 * Flushes buffered spans, exports the metrics one last time and stops the SDK; waits at most `timeoutMs` (an
 * unreachable collector must not hold up the exit). Safe to call more than once. Rejects if the flush failed or
 * timed out.
 */
export function shutdownTelemetry(timeoutMs = 5_000): Promise<void> {
  shutdown ??= new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`telemetry shutdown took longer than ${timeoutMs} ms; spans may be lost`)),
      timeoutMs,
    );
    sdk.shutdown().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      error => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
  return shutdown;
}

// For programs that end by running out of work rather than by calling shutdownTelemetry().
process.once('beforeExit', () => {
  void shutdownTelemetry().catch(() => {});
});
