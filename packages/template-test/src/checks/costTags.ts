// The golden-path cost tags: complete and valid under the platform's policy in catalog-info.yaml, and the same
// values on every Deployment's pods (what cost reports group by).
import { goldenPathCommon } from '../workspacePackages.ts';
import { goldenPathNotApplied, catalogEntity } from './goldenPath.ts';
import { builtOverlays, kubernetesObjectsIn } from './manifests.ts';
import { fail, pass, type StaticCheck } from './types.ts';

const { costTagsOfEntity, validateCostTags } = goldenPathCommon;

export const costTagsCheck: StaticCheck = {
  id: 'cost-tags',
  rule: 'cost tags are complete and valid under the policy, on the entity and on every workload',
  appliesTo: goldenPathNotApplied,
  run(ws) {
    const entity = catalogEntity(ws);
    if (!entity)
      return [
        fail(
          this,
          'no readable catalog-info.yaml to carry the cost tags',
          'catalog-info.yaml',
        ),
      ];
    const tags = costTagsOfEntity(ws.policy, entity);
    const problems = validateCostTags(ws.policy, tags).filter(
      f => f.status !== 'ok',
    );
    const results = problems.map(p =>
      fail(this, p.message!, 'catalog-info.yaml'),
    );
    // What a cluster runs: the built overlays (labels usually come from kustomize), else the plain manifests. The
    // environment tag of an overlay is that overlay's environment.
    const overlays = Object.entries(builtOverlays(ws)).filter(
      (e): e is [string, any[]] => Array.isArray(e[1]),
    );
    const workloads = overlays.length
      ? overlays.map(([environment, objects]) => ({
          environment,
          file: `deploy/overlays/${environment}`,
          objects,
        }))
      : [
          {
            environment: undefined,
            file: undefined,
            objects: kubernetesObjectsIn(ws.dir, ws.files).flatMap(f =>
              'object' in f ? [f.object] : [],
            ),
          },
        ];
    for (const { environment, file, objects } of workloads) {
      for (const deployment of objects.filter(o => o.kind === 'Deployment')) {
        const labels = deployment.spec?.template?.metadata?.labels ?? {};
        for (const tag of ws.policy.costTags.tags) {
          const value =
            tag.name === 'environment' && environment
              ? environment
              : tags[tag.name];
          const key = tag.keys.k8sLabel;
          if (value !== undefined && labels[key] !== value) {
            results.push(
              fail(
                this,
                `Deployment ${
                  deployment.metadata?.name
                }: pod label ${key} is ${JSON.stringify(
                  labels[key],
                )}, expected ${JSON.stringify(value)}`,
                file,
              ),
            );
          }
        }
      }
    }
    return results.length ? results : [pass(this, 'catalog-info.yaml')];
  },
};
