// Entry point (npm start, the image's CMD): `node --experimental-async-context-frame --import ./dist/telemetry.js
// dist/main.js`. The --import loads the OpenTelemetry SDK before
// any application code; it is the same module imported below, so shutdownTelemetry flushes that SDK.
import { run } from './app.ts';
import { describeError } from './delivery.ts';
import { handleInvoiceJob } from './invoiceJob.ts';
import { createLogger } from './logger.ts';
import { shutdownTelemetry } from './telemetry.ts';

const logger = createLogger({ level: 'info' });
const shutdown = new AbortController();

// The first SIGTERM/SIGINT starts a graceful shutdown; a second one exits at once.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (shutdown.signal.aborted) {
      logger.warn('second signal; exiting without waiting', { signal });
      process.exit(1);
    }
    logger.info('signal received', { signal });
    shutdown.abort();
  });
}

let exitCode = 0;
try {
  await run({ env: process.env, signal: shutdown.signal, handler: handleInvoiceJob });
} catch (error) {
  logger.error('worker failed', { error: describeError(error) });
  exitCode = 1;
}
try {
  // Last: flushes the spans of the final jobs.
  await shutdownTelemetry();
} catch (error) {
  logger.warn('telemetry shutdown failed', { error: describeError(error) });
}
process.exit(exitCode);
