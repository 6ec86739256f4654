// Chaos experiments of a generated repository (the sample opts in): Chaos Mesh Schedules in the staging overlay
// only, valid against Chaos Mesh's own CRDs, inside weekday business hours, selecting only the service's pods.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { crdProblems } from '../../../template-test/src/checks/crdValidation.ts';
import {
  buildAndValidateOverlays,
  type K8sObject,
} from '../../../template-test/src/checks/manifests.ts';

const CHAOS_GROUP = /^chaos-mesh\.org\//;
const isChaos = (o: K8sObject) => CHAOS_GROUP.test(o.apiVersion);

/** `dependencies`: hosts the network delay must be toward (the OTLP collector, NATS for the worker). */
export function chaosChecks(repoDir: () => string, dependencies: string[]) {
  it('opts in to chaos experiments in staging only: Chaos Mesh Schedules, valid against its CRDs, in weekday business hours, toward each dependency', () => {
    const { overlays } = buildAndValidateOverlays(repoDir());
    for (const [environment, objects] of Object.entries(overlays)) {
      if (environment !== 'staging') {
        assert.deepEqual(
          objects.filter(isChaos),
          [],
          `${environment} has chaos objects`,
        );
      }
    }
    const chaos = overlays.staging.filter(isChaos);
    for (const object of chaos) {
      assert.deepEqual(
        crdProblems(object),
        [],
        `${object.metadata.name} against the Chaos Mesh CRD`,
      );
      assert.equal(object.kind, 'Schedule');
      assert.match(
        object.spec.schedule,
        /^CRON_TZ=\S+ \d+ \d+(-\d+)? \* \* 1-5$/,
      );
    }
    const podKill = chaos.filter(o => o.spec.type === 'PodChaos');
    assert.deepEqual(
      podKill.map(o => o.spec.podChaos.action),
      ['pod-kill'],
    );
    const delays = chaos.filter(o => o.spec.type === 'NetworkChaos');
    assert.deepEqual(
      delays
        .map(o => o.spec.networkChaos.externalTargets)
        .flat()
        .sort(),
      [...dependencies].sort(),
    );
    for (const delay of delays) {
      assert.equal(delay.spec.networkChaos.action, 'delay');
      assert.equal(delay.spec.networkChaos.direction, 'to');
    }
    assert.ok(
      existsSync(join(repoDir(), 'docs/chaos-experiments.md')),
      'runbook',
    );
  });

  it("limits every experiment to the service's own pods: its namespace and the Deployment's selector, nothing else", () => {
    const { overlays, flux } = buildAndValidateOverlays(repoDir());
    const namespace = flux.staging.find(o => o.kind === 'Kustomization')!.spec
      .targetNamespace;
    const deployment = overlays.staging.find(o => o.kind === 'Deployment')!;
    const own = {
      namespaces: [namespace],
      labelSelectors: deployment.spec.selector.matchLabels,
    };
    for (const object of overlays.staging.filter(isChaos)) {
      const experiment = object.spec.podChaos ?? object.spec.networkChaos;
      assert.deepEqual(experiment.selector, own, object.metadata.name);
      // A target selects other pods; with direction `to` and external targets only this service's traffic changes.
      assert.equal(experiment.target, undefined, object.metadata.name);
    }
  });

  it('refuses a chaos object with a field Chaos Mesh does not define (the check can fail)', () => {
    const { overlays } = buildAndValidateOverlays(repoDir());
    const schedule = overlays.staging.find(isChaos)!;
    const guessed = structuredClone(schedule);
    guessed.spec.podChaos = { ...guessed.spec.podChaos, blastRadius: 'small' };
    assert.match((crdProblems(guessed) ?? []).join('\n'), /blastRadius/);
  });
}
