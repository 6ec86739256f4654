const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
const ALL_ZEROS = /^0+$/;

/**
 * The W3C / OpenTelemetry trace id in lowercase, or undefined when `id` is not 32 hex digits or is all zeros (the
 * invalid trace id).
 */
export function normalizeTraceId(id: string): string | undefined {
  if (typeof id !== 'string') {
    return undefined;
  }
  const lower = id.toLowerCase();
  return TRACE_ID_PATTERN.test(lower) && !ALL_ZEROS.test(lower)
    ? lower
    : undefined;
}

/** Whether `id` is a valid W3C / OpenTelemetry trace id: 32 hex digits (either case), not all zeros. */
export function isValidTraceId(id: string): boolean {
  return normalizeTraceId(id) !== undefined;
}

/**
 * The Datadog trace id for an OpenTelemetry trace id: the decimal of its low 64 bits, or undefined when the id is
 * invalid or its low 64 bits are zero.
 *
 * Why: Datadog trace ids are unsigned 64-bit integers shown in decimal. When Datadog ingests OpenTelemetry spans it
 * keeps the low 64 bits of the 128-bit id as the trace id (the high 64 bits go to the `_dd.p.tid` tag), and the APM
 * UI looks traces up by that decimal number.
 */
export function datadogTraceId(traceId: string): string | undefined {
  const id = normalizeTraceId(traceId);
  if (!id) {
    return undefined;
  }
  const low64 = BigInt(`0x${id.slice(16)}`);
  return low64 === 0n ? undefined : low64.toString(10);
}
