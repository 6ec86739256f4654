// Generates a repository the way a user does: a real scaffolder task in the real backend (golden-path actions,
// local publishing, catalog registration), then `git clone` of the published repository.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventually,
  repoRoot,
  startBackend,
  type RunningBackend,
} from './backendProcess.ts';
import { getJson, guestToken, runTask } from './portalApi.ts';

export type Portal = {
  backend: RunningBackend;
  token: string;
  dataDir: string;
};

/**
 * The portal with its default config, state in a temp folder, and the templates from templates/ loaded; `extra`
 * is merged into the config on top (e.g. a `kubernetes` block for a test cluster).
 */
export async function startPortal(
  templates: string[],
  extra: Record<string, unknown> = {},
): Promise<Portal> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gp-conformance-'));
  const backend = await startBackend({
    configFiles: [join(repoRoot, 'app-config.yaml')],
    stateDir: dataDir,
    override: () => ({
      goldenPath: {
        // CODEOWNERS needs the GitHub organisation of the teams.
        github: { org: 'acme' },
      },
      ...extra,
    }),
  });
  try {
    const token = await guestToken(backend.baseUrl);
    for (const template of templates) {
      await eventually(`template ${template} in the catalog`, () =>
        getJson(
          `${backend.baseUrl}/api/catalog/entities/by-name/template/default/${template}`,
          token,
        ).catch(() => undefined),
      );
    }
    return { backend, token, dataDir };
  } catch (error) {
    // Not ready for the tests: stop the backend here, since no test will get the handle to stop it.
    await backend.stop();
    throw new Error(`${error}\nbackend log:\n${backend.logs().slice(-4000)}`);
  }
}

export async function generate(
  portal: Portal,
  template: string,
  values: Record<string, unknown>,
  secrets?: Record<string, string>,
): Promise<{ repoDir: string; messages: string[] }> {
  const task = await runTask(
    portal.backend.baseUrl,
    portal.token,
    `template:default/${template}`,
    values,
    secrets,
  );
  if (task.status !== 'completed') {
    throw new Error(`task ${task.status}:\n${task.messages.join('\n')}`);
  }
  const repoDir = join(
    mkdtempSync(join(tmpdir(), `gp-${template}-`)),
    String(values.name),
  );
  execFileSync('git', [
    'clone',
    '--quiet',
    join(portal.dataDir, 'repos', String(values.name)),
    repoDir,
  ]);
  return { repoDir, messages: task.messages };
}
