import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A response as scripts/record-trace-fixtures.ts stored it: recorded from Jaeger, or derived for Tempo. */
export interface TraceFixture {
  recordedWith?: string;
  derivedFrom?: string;
  request: string;
  traceId: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

export function traceFixture(
  name: 'jaeger-trace' | 'jaeger-trace-not-found' | 'tempo-trace',
): TraceFixture {
  return JSON.parse(
    readFileSync(join(__dirname, '../__fixtures__', `${name}.json`), 'utf8'),
  );
}
