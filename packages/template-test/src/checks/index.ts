// The static checks run over every rendered repository, in this order. To add one, write a file exporting a
// StaticCheck and append it here; conformance and the template-test command both run this list.
import { catalogInfoCheck } from './catalogInfo.ts';
import { costTagsCheck } from './costTags.ts';
import { manifestsCheck } from './manifests.ts';
import { secretScanCheck } from './secretScan.ts';
import { secretValuesCheck } from './secretValues.ts';
import { tracingCheck } from './tracing.ts';
import type { StaticCheck } from './types.ts';

export const staticChecks: StaticCheck[] = [
  catalogInfoCheck,
  costTagsCheck,
  tracingCheck,
  manifestsCheck,
  secretValuesCheck,
  secretScanCheck,
];

export type { CheckResult, StaticCheck, Verdict, Workspace } from './types.ts';
