import { ConfigReader } from '@backstage/config';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
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

  it.each([
    ['../../../../tmp/pwn', 'must not contain ".." or "@{"'],
    ['/etc/x', 'must not start or end with "/" or contain "//"'],
    [
      'main.lock',
      'has the part "main.lock": no part may start with "." or end with ".lock"',
    ],
    [
      'feature/.hidden',
      'has the part ".hidden": no part may start with "." or end with ".lock"',
    ],
    ['-x', 'must not start with "-"'],
    ['a b', 'must not contain spaces'],
    [
      'x~1',
      'must not contain spaces, control characters or any of ~ ^ : ? * [ \\',
    ],
    ['release.', 'must not end with "."'],
  ])(
    'refuses the branch %j by git ref rules and writes nothing',
    async (defaultBranch, rule) => {
      await expect(
        action().handler(context({ repoName: 'payments-api', defaultBranch })),
      ).rejects.toThrow(
        `Invalid defaultBranch ${JSON.stringify(defaultBranch)}: it ${rule}`,
      );
      expect(await fs.pathExists(root())).toBe(false);
      expect(await fs.pathExists(mockDir.resolve('tmp'))).toBe(false);
    },
  );

  it('accepts branch names git accepts, with slashes', async () => {
    await action().handler(
      context({ repoName: 'payments-api', defaultBranch: 'release/v1.2' }),
    );
    expect(
      await git.currentBranch({ fs, dir: join(root(), 'payments-api') }),
    ).toBe('release/v1.2');
  });

  it.each([
    ['an absolute path', () => mockDir.resolve('secrets')],
    ['a relative path', () => '../secrets'],
    ['a path through another link', () => 'up/secrets'],
  ])(
    'refuses a symbolic link to %s outside the workspace and writes nothing',
    async (_, target) => {
      await fs.outputFile(mockDir.resolve('secrets/KEY'), 'value');
      await fs.symlink('..', join(workspacePath(), 'up'));
      await fs.symlink(target(), join(workspacePath(), 'leak'));
      await expect(
        action().handler(context({ repoName: 'payments-api' })),
      ).rejects.toThrow(
        /Refusing to publish: the symbolic links? .*"leak".* outside it/,
      );
      expect(await fs.pathExists(root())).toBe(false);
    },
  );

  it('keeps a symbolic link that stays inside the workspace as a link', async () => {
    await fs.symlink('main.go', join(workspacePath(), 'alias.go'));
    await action().handler(context({ repoName: 'payments-api' }));
    const repo = join(root(), 'payments-api');
    expect((await fs.lstat(join(repo, 'alias.go'))).isSymbolicLink()).toBe(
      true,
    );
    expect(await fs.readlink(join(repo, 'alias.go'))).toBe('main.go');
  });

  it('leaves a clean working tree when .gitattributes asks for CRLF, so pushes to the branch work', async () => {
    await fs.writeFile(
      join(workspacePath(), '.gitattributes'),
      '*.cmd text eol=crlf\n/mvnw text eol=lf\n',
    );
    await fs.writeFile(
      join(workspacePath(), 'mvnw.cmd'),
      '@echo off\r\nexit\r\n',
    );
    await fs.writeFile(join(workspacePath(), 'mvnw'), '#!/bin/sh\nexit 0\n');
    await action().handler(context({ repoName: 'java-thing' }));
    const repo = join(root(), 'java-thing');
    const inRepo = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
    expect(inRepo('status', '--porcelain')).toBe('');

    const clone = mockDir.resolve('clone');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    await fs.writeFile(join(clone, 'main.go'), 'package changed\n');
    const inClone = (...args: string[]) =>
      execFileSync('git', ['-C', clone, ...args], { encoding: 'utf8' });
    inClone(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@x',
      'commit',
      '-qam',
      'change',
    );
    inClone('push', '--quiet', 'origin', 'main');
    expect(await fs.readFile(join(repo, 'main.go'), 'utf8')).toBe(
      'package changed\n',
    );
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
