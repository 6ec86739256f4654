// When the golden-path policy applies to a rendered repository: the template uses a golden-path action, or its
// catalog-info.yaml carries golden-path keys. Templates that use neither are not held to the policy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Workspace } from './types.ts';

export function catalogEntity(ws: Workspace): any | undefined {
  if (!ws.files.includes('catalog-info.yaml')) return undefined;
  try {
    return YAML.parse(readFileSync(join(ws.dir, 'catalog-info.yaml'), 'utf8'));
  } catch {
    return undefined;
  }
}

export function goldenPathNotApplied(ws: Workspace): string | undefined {
  const usesAction = ws.template.entity.spec.steps.some(s =>
    String(s.action).startsWith('golden-path:'),
  );
  const metadata = catalogEntity(ws)?.metadata ?? {};
  const keys = [
    ...Object.keys(metadata.labels ?? {}),
    ...Object.keys(metadata.annotations ?? {}),
  ];
  if (usesAction || keys.some(k => k.startsWith('golden-path.io/'))) {
    return undefined;
  }
  return 'the template uses no golden-path action and its catalog-info.yaml no golden-path key';
}
