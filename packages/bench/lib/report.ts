// Statistics, tables and the results files. Benchmarks report numbers and ratios; nothing here judges them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Cell = string | number | null;

export type Table = {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Printed under the table: how to read it, and anything unusual seen while measuring. */
  notes?: string[];
};

export type SectionResult = {
  id: string;
  title: string;
  seconds: number;
  tables: Table[];
  /** Machine-readable numbers for results.json. */
  data: Record<string, unknown>;
  notes: string[];
  error?: string;
};

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile: p95 of 8 samples is the largest one. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export type Summary = {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
};

export function summarize(values: number[]): Summary {
  return {
    n: values.length,
    p50: median(values),
    p95: percentile(values, 95),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** `a / b` with two decimals and an ×, or `n/a` when either side is missing. */
export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${(a / b).toFixed(2)}×`;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function bytes(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value} B`;
}

export function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function markdownTable(table: Table): string {
  const escape = (cell: Cell) =>
    cell === null ? '' : String(cell).replace(/\|/g, '\\|');
  const lines = [
    `| ${table.columns.map(escape).join(' | ')} |`,
    `| ${table.columns
      .map((_, i) => (i === 0 ? '---' : '---:'))
      .join(' | ')} |`,
    ...table.rows.map(row => `| ${row.map(escape).join(' | ')} |`),
  ];
  return lines.join('\n');
}

export function renderTable(table: Table): string {
  const parts = [`#### ${table.title}`, '', markdownTable(table)];
  if (table.notes?.length) {
    parts.push('', ...table.notes.map(note => `- ${note}`));
  }
  return parts.join('\n');
}

export function renderSection(section: SectionResult): string {
  const parts = [`### ${section.title} (${section.seconds.toFixed(0)} s)`, ''];
  if (section.error) {
    parts.push(`**Failed:** ${section.error}`, '');
  }
  for (const table of section.tables) parts.push(renderTable(table), '');
  if (section.notes.length) {
    parts.push(...section.notes.map(note => `- ${note}`), '');
  }
  return parts.join('\n');
}

export function writeResults(
  dir: string,
  header: Record<string, unknown>,
  headerMarkdown: string,
  sections: SectionResult[],
  timings: Array<{ step: string; seconds: number }>,
): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'results.json');
  const md = join(dir, 'results.md');
  writeFileSync(
    json,
    `${JSON.stringify({ ...header, timings, sections }, null, 2)}\n`,
  );
  const timingTable: Table = {
    title: 'Where the time went',
    columns: ['Step', 'Seconds'],
    rows: timings.map(t => [t.step, Math.round(t.seconds)]),
  };
  writeFileSync(
    md,
    [
      '# Benchmark results',
      '',
      headerMarkdown,
      '',
      ...sections.map(renderSection),
      renderTable(timingTable),
      '',
    ].join('\n'),
  );
  return { json, md };
}
