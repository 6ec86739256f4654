// A platform policy that no generated service could satisfy stops the portal before any template runs: the real
// backend is started with each hostile goldenPath.deploy value and must refuse, naming the key and the rule, with
// nothing published or stored.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, startBackend } from '../test-utils/src/backendProcess.ts';

const sale = {
  name: 'sale',
  dates: { from: '11-27', to: '11-30' },
  min: 5,
  max: 10,
};

describe('hostile platform policy', () => {
  for (const [what, deploy, expected] of [
    [
      'a registry with a scheme',
      { registry: 'https://ghcr.io/acme' },
      /Invalid goldenPath\.deploy\.registry: 'https:\/\/ghcr\.io\/acme' must not have a scheme/,
    ],
    [
      'a registry with spaces',
      { registry: 'ghcr.io/acme corp' },
      /Invalid goldenPath\.deploy\.registry: 'ghcr\.io\/acme corp' is not a registry/,
    ],
    [
      'a peak window with min above max',
      { autoscaling: { peakWindows: [{ ...sale, min: 20 }] } },
      /goldenPath\.deploy\.autoscaling\.peakWindows\[0\]\.min \(20\) must not exceed goldenPath\.deploy\.autoscaling\.peakWindows\[0\]\.max \(10\)/,
    ],
    [
      'a peak window for an unknown environment',
      { autoscaling: { peakWindows: [{ ...sale, environments: ['qa'] }] } },
      /Invalid goldenPath\.deploy\.autoscaling\.peakWindows\[0\]\.environments\[0\]: 'qa' is not one of the deploy environments/,
    ],
  ] as const) {
    it(`refuses to start with ${what}, naming the key, and writes nothing`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gp-policy-'));
      await assert.rejects(
        startBackend({
          configFiles: [join(repoRoot, 'app-config.yaml')],
          stateDir: dataDir,
          override: () => ({
            goldenPath: {
              deploy,
            },
          }),
        }),
        expected,
      );
      assert.ok(
        !existsSync(join(dataDir, 'repos')),
        'a repository was published',
      );
      assert.ok(!existsSync(join(dataDir, 'secrets')), 'a secret was stored');
      assert.deepEqual(
        readdirSync(dataDir).filter(entry => entry !== 'sqlite'),
        [],
      );
    });
  }
});
