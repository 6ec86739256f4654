import { execFileSync } from 'node:child_process';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

// Test helper. kubernetes-models and @kubernetes-models/* are ESM-only packages whose `exports` only have an `import`
// condition, which Jest's CommonJS runtime cannot resolve. So the objects are validated by a plain Node process that
// imports the models natively: `new Deployment(object).validate()`, as a user of those packages would.

/** The published schema of each kind the deploy manifests contain: `<apiVersion>/<kind>` to the model module. */
const MODELS: Record<string, string> = {
  'v1/Namespace': 'kubernetes-models/v1/Namespace',
  'v1/Service': 'kubernetes-models/v1/Service',
  'v1/ServiceAccount': 'kubernetes-models/v1/ServiceAccount',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'autoscaling/v2/HorizontalPodAutoscaler':
    'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget':
    'kubernetes-models/policy/v1/PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy':
    'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'external-secrets.io/v1/ExternalSecret':
    '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret',
  'source.toolkit.fluxcd.io/v1/GitRepository':
    '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository',
  'kustomize.toolkit.fluxcd.io/v1/Kustomization':
    '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization',
  'image.toolkit.fluxcd.io/v1/ImageRepository':
    '@kubernetes-models/flux-cd/image.toolkit.fluxcd.io/v1/ImageRepository',
  'image.toolkit.fluxcd.io/v1/ImagePolicy':
    '@kubernetes-models/flux-cd/image.toolkit.fluxcd.io/v1/ImagePolicy',
  'image.toolkit.fluxcd.io/v1/ImageUpdateAutomation':
    '@kubernetes-models/flux-cd/image.toolkit.fluxcd.io/v1/ImageUpdateAutomation',
  'keda.sh/v1alpha1/ScaledObject':
    '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject',
};

const SCRIPT = `
const models = JSON.parse(process.argv[1]);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const object of JSON.parse(input)) {
  const id = object.kind + '/' + (object.metadata && object.metadata.name);
  const module = models[object.apiVersion + '/' + object.kind];
  if (!module) {
    problems.push(id + ': no published schema for ' + object.apiVersion + ' ' + object.kind);
    continue;
  }
  const Model = (await import(module))[object.kind];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(id + ': ' + error.message);
  }
}
process.stdout.write(JSON.stringify(problems));
`;

/**
 * Validates Kubernetes objects against the schemas published in kubernetes-models, @kubernetes-models/external-secrets
 * @kubernetes-models/flux-cd and @kubernetes-models/keda. Returns one line per problem (`Deployment/api: data/spec/... must be ...`), or an
 * empty list when every object is valid. Objects of kinds without a known schema are problems too.
 */
export function schemaProblems(objects: readonly unknown[]): string[] {
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '--eval', SCRIPT, JSON.stringify(MODELS)],
    {
      // Resolve the model packages from this package, as its own imports would be.
      cwd: resolvePackagePath(
        '@golden-path/plugin-scaffolder-backend-module-golden-path',
      ),
      input: JSON.stringify(objects),
      encoding: 'utf8',
    },
  );
  return JSON.parse(output);
}
