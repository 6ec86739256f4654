// What every check reports, and what a check sees: the rendered workspace plus how it was rendered.
import type { GoldenPathPolicy } from '@golden-path/common';
import type { LoadedTemplate } from '../template.ts';

export type Verdict = 'pass' | 'fail' | 'skip';

export type CheckResult = {
  /** Short id of the check, e.g. `manifests`. */
  check: string;
  /** The rule, as a template author would read it, e.g. `every Kubernetes object is valid against its schema`. */
  rule: string;
  verdict: Verdict;
  /** The file (relative to the rendered repository, or the template's own file) the result is about. */
  file?: string;
  /** Why it failed or was skipped. */
  message?: string;
};

export type Workspace = {
  template: LoadedTemplate;
  /** The rendered repository on disk. */
  dir: string;
  /** Every rendered file, relative to `dir`. */
  files: string[];
  values: Record<string, unknown>;
  secrets: Record<string, string>;
  /** The task log, as the portal would show it. */
  log: string[];
  policy: GoldenPathPolicy;
};

/**
 * A check over the rendered repository. Static checks are a plain list (see index.ts): add a file exporting one
 * and append it there. `appliesTo` returns undefined when it applies, or why it does not (reported as skip).
 */
export type StaticCheck = {
  id: string;
  rule: string;
  appliesTo?(workspace: Workspace): string | undefined;
  run(workspace: Workspace): CheckResult[] | Promise<CheckResult[]>;
};

export const pass = (check: StaticCheck, file?: string): CheckResult => ({
  check: check.id,
  rule: check.rule,
  verdict: 'pass',
  ...(file ? { file } : {}),
});

export const fail = (
  check: StaticCheck,
  message: string,
  file?: string,
): CheckResult => ({
  check: check.id,
  rule: check.rule,
  verdict: 'fail',
  message,
  ...(file ? { file } : {}),
});
