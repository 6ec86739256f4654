import YAML from 'yaml';
import {
  buildFluxKustomization,
  buildGitRepository,
  fluxDocuments,
  placeholderGitUrl,
} from './flux';
import { schemaProblems } from './testing/schemaProblems';

describe('Flux objects', () => {
  it('watch the main branch and apply the environment overlay into the app namespace, pruning and waiting', () => {
    const source = buildGitRepository({
      name: 'payments-api',
      url: 'ssh://git@github.com/acme/payments-api.git',
    });
    const kustomization = buildFluxKustomization({
      name: 'payments-api',
      environment: 'staging',
      namespace: 'payments-api',
    });
    expect(schemaProblems([source, kustomization])).toEqual([]);
    expect(source).toMatchObject({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      metadata: { name: 'payments-api', namespace: 'flux-system' },
      spec: {
        url: 'ssh://git@github.com/acme/payments-api.git',
        ref: { branch: 'main' },
      },
    });
    expect(kustomization).toMatchObject({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      metadata: { name: 'payments-api-staging', namespace: 'flux-system' },
      spec: {
        sourceRef: { kind: 'GitRepository', name: 'payments-api' },
        path: './deploy/overlays/staging',
        prune: true,
        wait: true,
        interval: '10m',
        timeout: '5m',
        targetNamespace: 'payments-api',
      },
    });
  });

  it('says in a comment when the URL is a placeholder to replace', () => {
    const text = (url: string) =>
      fluxDocuments({
        name: 'payments-api',
        environment: 'dev',
        namespace: 'payments-api',
        url,
      })
        .map(doc => doc.toString())
        .join('---\n');
    expect(text(placeholderGitUrl('payments-api'))).toMatch(
      /^# .*\n# .*kubectl apply -f deploy\/flux\/dev.yaml.*\n# spec.url is a placeholder/,
    );
    expect(text('https://github.com/acme/payments-api.git')).not.toContain(
      'placeholder',
    );
    expect(
      YAML.parseAllDocuments(
        text('https://github.com/acme/payments-api.git'),
      ).map(d => d.toJS().kind),
    ).toEqual(['GitRepository', 'Kustomization']);
  });
});
