import YAML from 'yaml';
import {
  buildImagePolicy,
  buildImageRepository,
  buildImageUpdateAutomation,
  upsertImageEntry,
} from './image';
import { schemaProblems } from './testing/schemaProblems';

const repository = 'ghcr.io/acme/payments-api';

function overlay(text: string, automated: boolean) {
  const doc = YAML.parseDocument(text);
  upsertImageEntry(doc, { repository, name: 'payments-api', automated });
  return doc.toString();
}

describe('image automation', () => {
  it('builds Flux image objects that pass their published schemas', () => {
    expect(
      schemaProblems([
        buildImageRepository({ name: 'payments-api', repository }),
        buildImageRepository({
          name: 'payments-api',
          repository,
          pullSecret: 'registry-pull',
        }),
        buildImagePolicy({ name: 'payments-api' }),
        buildImageUpdateAutomation({
          name: 'payments-api',
          overlayPath: 'deploy/overlays/dev',
        }),
      ]),
    ).toEqual([]);
  });

  it('marks the first environment for Flux to fill in the tag and digest', () => {
    expect(overlay('resources: [../../base]\n', true)).toBe(
      [
        'resources: [ ../../base ]',
        'images:',
        '  - name: ghcr.io/acme/payments-api',
        '    newTag: main # {"$imagepolicy": "flux-system:payments-api:tag"}',
        '    digest: "" # {"$imagepolicy": "flux-system:payments-api:digest"}',
        '',
      ].join('\n'),
    );
  });

  it('keeps a recorded tag and digest, and images of other containers', () => {
    const recorded = [
      'images:',
      '  - name: busybox',
      '    newTag: "1.36"',
      '  - name: ghcr.io/acme/payments-api',
      '    newTag: main-1a2b3c4-1700000000',
      `    digest: sha256:${'a'.repeat(64)}`,
      '',
    ].join('\n');
    expect(overlay(recorded, false)).toBe(recorded);
    expect(overlay(overlay(recorded, true), true)).toBe(
      overlay(recorded, true),
    );
    expect(overlay(recorded, true)).toContain(
      `digest: sha256:${'a'.repeat(
        64,
      )} # {"$imagepolicy": "flux-system:payments-api:digest"}`,
    );
  });

  it('points the automation at the first overlay and pushes to main', () => {
    const automation = buildImageUpdateAutomation({
      name: 'payments-api',
      overlayPath: 'deploy/overlays/dev',
    }) as any;
    expect(automation.spec.update).toEqual({
      path: './deploy/overlays/dev',
      strategy: 'Setters',
    });
    expect(automation.spec.git.push.branch).toBe('main');
    expect(
      (buildImagePolicy({ name: 'payments-api' }) as any).spec
        .digestReflectionPolicy,
    ).toBe('Always');
  });
});
