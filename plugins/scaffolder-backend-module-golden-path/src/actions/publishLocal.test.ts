import { ConfigReader } from '@backstage/config';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import { join } from 'node:path';
import { createPublishLocalAction } from './publishLocal';

describe('golden-path:publish:local', () => {
  const mockDir = createMockDirectory();
  const root = () => mockDir.resolve('repos');
  const workspacePath = () => mockDir.resolve('workspace');
  const action = () =>
    createPublishLocalAction({
      config: new ConfigReader({
        goldenPath: { publish: { local: { rootDirectory: root() } } },
        scaffolder: { defaultCommitMessage: 'Scaffolded' },
      }),
    });
  const user = {
    ref: 'user:default/ada',
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'ada' },
      spec: {
        profile: { displayName: 'Ada Lovelace', email: 'ada@example.com' },
      },
    },
  };
  const context = (input: Record<string, unknown>, extra = {}): any => ({
    ...createMockActionContext({
      input,
      workspacePath: workspacePath(),
      user,
    } as any),
    ...extra,
  });

  beforeEach(() => {
    mockDir.clear();
    mockDir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        'main.go': 'package main\n',
        'internal/server/server.go': 'package server\n',
        '.github/workflows/ci.yaml': 'on: push\n',
      },
    });
  });

  it('creates a git repository with one commit by the signed-in user and returns URLs the catalog can read', async () => {
    const ctx = context({ repoName: 'payments-api' });
    await action().handler(ctx);

    const repo = join(root(), 'payments-api');
    const [commit] = await git.log({ fs, dir: repo });
    expect(commit.commit.author).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    expect(commit.commit.message).toBe('Scaffolded\n');
    expect(await git.currentBranch({ fs, dir: repo })).toBe('main');
    expect((await git.listFiles({ fs, dir: repo })).sort()).toEqual([
      '.github/workflows/ci.yaml',
      'catalog-info.yaml',
      'internal/server/server.go',
      'main.go',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('commitHash', commit.oid);
    expect(ctx.output).toHaveBeenCalledWith('cloneUrl', repo);
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      `file://${repo}/catalog-info.yaml`,
    );
    expect(await fs.readdir(root())).toEqual(['payments-api']);
  });

  it('refuses a second repository with the same name and leaves the first one as it was', async () => {
    await action().handler(context({ repoName: 'payments-api' }));
    const repo = join(root(), 'payments-api');
    const [before] = await git.log({ fs, dir: repo });

    await fs.writeFile(join(workspacePath(), 'main.go'), 'package other\n');
    await expect(
      action().handler(
        context({ repoName: 'payments-api' }, { task: { id: 'second-task' } }),
      ),
    ).rejects.toThrow(
      /A repository named "payments-api" already exists at .*choose another name/,
    );

    const [after] = await git.log({ fs, dir: repo });
    expect(after.oid).toBe(before.oid);
    expect(await fs.readFile(join(repo, 'main.go'), 'utf8')).toBe(
      'package main\n',
    );
    expect(await fs.readdir(root())).toEqual(['payments-api']);
  });

  it('returns the stored result when a resumed task replays the step', async () => {
    const stored = new Map<string, unknown>();
    const checkpoint = async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<unknown>;
    }) => {
      if (!stored.has(key)) stored.set(key, await fn());
      return stored.get(key);
    };
    const first = context({ repoName: 'search-api' }, { checkpoint });
    await action().handler(first);
    const replay = context({ repoName: 'search-api' }, { checkpoint });
    await action().handler(replay);
    expect(replay.output).toHaveBeenCalledWith(
      'commitHash',
      stored.get('golden-path.publish.local.search-api'),
    );
  });

  it.each([
    ['../escape', 'must not contain path separators or ".."'],
    ['team/api', 'must not contain path separators or ".."'],
    ['Payments', 'must be lowercase'],
    ['a'.repeat(64), 'is 64 characters long; the limit is 63'],
    ['my api', 'must use lowercase letters'],
  ])('rejects the name %j and writes nothing', async (repoName, rule) => {
    await expect(action().handler(context({ repoName }))).rejects.toThrow(
      `Invalid repoName ${JSON.stringify(repoName)}: it ${rule}`,
    );
    expect(await fs.pathExists(root())).toBe(false);
    expect(await fs.pathExists(mockDir.resolve('escape'))).toBe(false);
  });

  it('refuses a sourcePath outside the workspace', async () => {
    await expect(
      action().handler(context({ repoName: 'ok', sourcePath: '../..' })),
    ).rejects.toThrow(/outside/i);
    expect(await fs.pathExists(root())).toBe(false);
  });

  it('writes nothing in a dry run but still returns the URLs', async () => {
    const ctx = context({ repoName: 'payments-api' }, { isDryRun: true });
    await action().handler(ctx);
    expect(await fs.pathExists(root())).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith(
      'repoContentsUrl',
      `file://${join(root(), 'payments-api')}`,
    );
  });

  it('explains how to enable local publishing when it is not configured', async () => {
    const unconfigured = createPublishLocalAction({
      config: new ConfigReader({}),
    });
    await expect(
      unconfigured.handler(context({ repoName: 'x' })),
    ).rejects.toThrow(
      'Local publishing is not configured: set goldenPath.publish.local.rootDirectory',
    );
  });
});
