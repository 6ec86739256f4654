// Section "scaffolding": what the golden-path wiring costs on top of rendering the skeleton, through the real
// scaffolder's dry-run endpoint (POST /api/scaffolder/v2/dry-run): nothing is published or registered.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../../test-utils/src/backendProcess.ts';
import type { Portal } from '../../test-utils/src/generate.ts';
import {
  median,
  ms,
  num,
  percentile,
  ratio,
  type SectionResult,
  type Table,
} from './report.ts';
import {
  sampleSecrets,
  sampleValues,
  TEMPLATES,
  type TemplateName,
} from './services.ts';
import type { Timings } from './system.ts';

type Step = { id: string; action: string };
type Variant = 'wired' | 'fetchOnly';

/** Steps up to and including golden-path:wire (the secrets seed runs only after publishing, so it is not wiring). */
export function wiredSteps(steps: Step[]): Step[] {
  const last = steps.reduce(
    (found, step, i) => (step.action === 'golden-path:wire' ? i : found),
    -1,
  );
  if (last < 0) throw new Error('the template has no golden-path:wire step');
  return steps.slice(0, last + 1);
}

/** The template's own fetch:template step of its skeleton. */
export function fetchOnlySteps(steps: Step[]): Step[] {
  const fetch = steps.filter(s => s.action === 'fetch:template');
  if (fetch.length !== 1)
    throw new Error(`expected one fetch:template step, got ${fetch.length}`);
  return fetch;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => join(e.parentPath, e.name));
}

/** The dry-run request for one variant: the template entity, and template.yaml plus every file under its folder. */
export function dryRunBody(template: TemplateName, variant: Variant) {
  const dir = join(repoRoot, 'templates', template);
  const entity = YAML.parse(readFileSync(join(dir, 'template.yaml'), 'utf8'));
  const steps: Step[] = entity.spec.steps;
  entity.spec.steps =
    variant === 'wired' ? wiredSteps(steps) : fetchOnlySteps(steps);
  // The output refers to the publish and register steps, which are gone.
  delete entity.spec.output;
  const directoryContents = files(dir).map(file => {
    const path = relative(dir, file);
    const content =
      path === 'template.yaml'
        ? Buffer.from(YAML.stringify(entity))
        : readFileSync(file);
    return { path, base64Content: content.toString('base64') };
  });
  return {
    template: entity,
    values: sampleValues(template),
    secrets: sampleSecrets,
    directoryContents,
  };
}

async function dryRun(baseUrl: string, token: string, body: unknown) {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  const elapsed = performance.now() - started;
  if (!res.ok)
    throw new Error(`dry-run answered ${res.status}: ${text.slice(0, 1000)}`);
  const result = JSON.parse(text);
  const failed = (result.log ?? []).find(
    (l: any) => l.body?.status === 'failed',
  );
  if (failed) {
    throw new Error(
      `dry-run step ${failed.body.stepId} failed:\n${(result.log ?? [])
        .map((l: any) => l.body?.message)
        .join('\n')
        .slice(-2000)}`,
    );
  }
  return {
    ms: elapsed,
    files: (result.directoryContents ?? []).map((f: any) => f.path as string),
  };
}

export async function scaffoldingSection(options: {
  portal: Portal;
  runs: number;
  timings: Timings;
}): Promise<Omit<SectionResult, 'seconds'>> {
  const { portal } = options;
  const rows: Table['rows'] = [];
  const data: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const template of TEMPLATES) {
    await options.timings.time(`scaffolding: ${template}`, async () => {
      const bodies = {
        wired: dryRunBody(template, 'wired'),
        fetchOnly: dryRunBody(template, 'fetchOnly'),
      };
      const times: Record<Variant, number[]> = { wired: [], fetchOnly: [] };
      const fileCounts: Record<Variant, number> = { wired: 0, fetchOnly: 0 };
      // One unmeasured run each (first use of nunjucks, the actions, the file system cache), then alternate.
      for (const variant of ['wired', 'fetchOnly'] as const) {
        const first = await dryRun(
          portal.backend.baseUrl,
          portal.token,
          bodies[variant],
        );
        fileCounts[variant] = first.files.length;
        if (
          variant === 'wired' &&
          !first.files.includes('deploy/base/otel.env')
        ) {
          throw new Error(
            `${template}: the wired dry-run produced no deploy/base/otel.env`,
          );
        }
      }
      for (let i = 0; i < options.runs; i++) {
        for (const variant of i % 2
          ? (['fetchOnly', 'wired'] as const)
          : (['wired', 'fetchOnly'] as const)) {
          times[variant].push(
            (
              await dryRun(
                portal.backend.baseUrl,
                portal.token,
                bodies[variant],
              )
            ).ms,
          );
        }
      }
      const a = median(times.wired);
      const b = median(times.fetchOnly);
      rows.push([
        template,
        `${
          bodies.wired.template.spec.steps.length
        } (${bodies.wired.template.spec.steps
          .map((s: Step) => s.id)
          .join(', ')})`,
        `${ms(a)} (p90 ${ms(percentile(times.wired, 90))})`,
        `${ms(b)} (p90 ${ms(percentile(times.fetchOnly, 90))})`,
        ratio(a, b),
        `${num(fileCounts.wired)} / ${num(fileCounts.fetchOnly)}`,
        `${Math.round(
          bodies.wired.directoryContents.reduce(
            (s, f) => s + f.base64Content.length,
            0,
          ) / 1024,
        )} KiB`,
      ]);
      data[template] = {
        wiredMs: times.wired,
        fetchOnlyMs: times.fetchOnly,
        files: fileCounts,
      };
    });
  }
  const tables: Table[] = [
    {
      title: `2. Scaffolding: render + golden-path wiring (A) vs plain fetch:template (B), dry-run, median of ${options.runs}`,
      columns: [
        'Template',
        'Steps in A',
        'A: wired',
        'B: fetch:template only',
        'A/B',
        'Files A / B',
        'Request (base64)',
      ],
      rows,
      notes: [
        'Both variants go through `POST /api/scaffolder/v2/dry-run` of the real backend with the same values and the same uploaded folder (template.yaml and the whole skeleton): A = the real template.yaml cut after its golden-path:wire step (no publish, no catalog:register, no secrets seed, no output), B = only its `fetch:template` step.',
        'Timed on the client from request to parsed response, which carries every rendered file back as base64; one unmeasured run of each first, then A and B alternate.',
        'The dry-run runs actions with supportsDryRun (all golden-path actions declare it).',
      ],
    },
  ];
  return { id: 'scaffolding', title: '2. Scaffolding', tables, data, notes };
}
