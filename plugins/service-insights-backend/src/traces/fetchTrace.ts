import { TraceQueryBackend, TraceQueryConfig } from './traceBackends';

/** What a backend's query API answered: the parsed JSON body, or that it has no such trace. */
export type FetchedTrace = { found: true; body: unknown } | { found: false };

/** The query API path of each backend type for one trace id (already validated: 32 lowercase hex digits). */
export function traceUrl(backend: TraceQueryBackend, traceId: string): string {
  return backend.type === 'jaeger'
    ? `${backend.baseUrl}/api/v3/traces/${traceId}`
    : `${backend.baseUrl}/api/traces/${traceId}`;
}

/**
 * Fetches one trace from one backend, server-side. Never follows a redirect: the configured headers (credentials)
 * must reach this backend only, not wherever a redirect points. The whole exchange, body included, has a time
 * limit, and a body larger than the limit is abandoned while it streams in. Errors say what happened without the
 * URL or headers.
 */
export async function fetchTrace(
  backend: TraceQueryBackend,
  traceId: string,
  limits: Pick<TraceQueryConfig, 'timeoutMs' | 'maxResponseBytes'>,
): Promise<FetchedTrace> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await fetch(traceUrl(backend, traceId), {
      headers: { Accept: 'application/json', ...backend.headers },
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    throw new Error(unreachable(error, limits.timeoutMs));
  }
  try {
    if (response.status >= 300 && response.status < 400) {
      throw new Error(
        `answered with a redirect (${response.status}); redirects are not followed so that its credentials never go elsewhere: configure the final URL`,
      );
    }
    if (response.status === 404) {
      return { found: false };
    }
    if (!response.ok) {
      throw new Error(`answered ${response.status} ${response.statusText}`);
    }
    const text = await readLimited(response, limits.maxResponseBytes);
    try {
      return { found: true, body: JSON.parse(text) };
    } catch {
      throw new Error('answered with a body that is not JSON');
    }
  } catch (error) {
    if (signal.aborted) throw new Error(unreachable(error, limits.timeoutMs));
    throw error;
  } finally {
    // Whatever was not read is not wanted; not awaited, a stalling peer must not hold the answer.
    if (response.body && !response.bodyUsed && !response.body.locked) {
      response.body.cancel().catch(() => undefined);
    }
  }
}

function unreachable(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `did not answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return `could not be reached${cause ? ` (${cause})` : ''}`;
}

async function readLimited(
  response: Response,
  maxBytes: number,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    throw new Error(tooLarge(maxBytes));
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => undefined);
      throw new Error(tooLarge(maxBytes));
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(maxBytes: number): string {
  return `answered with more than ${maxBytes} bytes (serviceInsights.traceQuery.maxResponseBytes)`;
}
