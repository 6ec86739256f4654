// JUnit XML, which every CI shows as a test report: one testcase per check result, failures with the message.
import type { TemplateTestReport } from './run.ts';

const escape = (text: string) =>
  text
    .replace(
      /[<>&"']/g,
      c =>
        `&${
          { '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]
        };`,
    )
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(reports: TemplateTestReport[]): string {
  const suites = reports.map(report => {
    const cases = report.results.map(r => {
      const name = escape(
        `${r.check}: ${r.rule}${r.file ? ` [${r.file}]` : ''}${
          r.verdict === 'pass' && r.message ? ` (${r.message})` : ''
        }`,
      );
      const body =
        r.verdict === 'fail'
          ? `<failure message="${escape(
              (r.message ?? '').split('\n')[0],
            )}">${escape(r.message ?? '')}</failure>`
          : r.verdict === 'skip'
          ? `<skipped message="${escape(r.message ?? '')}"/>`
          : '';
      return `    <testcase classname="${escape(
        report.name ?? report.template,
      )}" name="${name}">${body}</testcase>`;
    });
    const failures = report.results.filter(r => r.verdict === 'fail').length;
    const skipped = report.results.filter(r => r.verdict === 'skip').length;
    const seconds =
      ((report.timings.renderMs ?? 0) +
        (report.timings.checksMs ?? 0) +
        (report.timings.buildMs ?? 0)) /
      1000;
    return `  <testsuite name="${escape(
      report.name ?? report.template,
    )}" tests="${
      report.results.length
    }" failures="${failures}" skipped="${skipped}" time="${seconds.toFixed(
      3,
    )}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="template-test">\n${suites.join(
    '\n',
  )}\n</testsuites>\n`;
}
