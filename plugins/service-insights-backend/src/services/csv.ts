import { GoldenPathPolicy, ServiceInsight } from '@golden-path/common';

/**
 * The services as CSV (RFC 4180, CRLF line ends): a header row, then one row per service with one column per
 * policy cost tag (its value, valid or not). Catalog data is user-controlled, so cells that a spreadsheet would run
 * as a formula are defused.
 */
export function servicesCsv(
  insights: ServiceInsight[],
  policy: GoldenPathPolicy,
): string {
  const tags = policy.costTags.tags.map(tag => tag.name);
  const header = [
    'name',
    'entityRef',
    'owner',
    'ownerResolved',
    'system',
    'lifecycle',
    'compliance',
    ...tags,
    'tracingServiceName',
    'traceLink',
  ];
  const lines = insights.map(insight => [
    insight.name,
    insight.entityRef,
    insight.owner.ref,
    String(insight.owner.resolved),
    insight.system,
    insight.lifecycle,
    insight.compliance,
    ...tags.map(
      tag => insight.costTags.find(finding => finding.tag === tag)?.value,
    ),
    insight.tracing.serviceName,
    insight.tracing.links[0]?.url,
  ]);
  return [header, ...lines]
    .map(cells => `${cells.map(csvCell).join(',')}\r\n`)
    .join('');
}

// Spreadsheets evaluate cells starting with these (OWASP "CSV injection"): =, +, -, @, tab and CR; a leading
// quote makes them text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-like values prefixed with `'`, then quoted when needed with quotes doubled. */
export function csvCell(value: string | undefined): string {
  if (value === undefined) {
    return '';
  }
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
