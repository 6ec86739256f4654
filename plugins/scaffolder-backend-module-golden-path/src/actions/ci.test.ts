import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { ACTION_PINS } from '../ci/actionPins';
import { createCiAction } from './ci';

const TEMPLATE_JOBS = `# the template's comment on its job
jobs:
  test:
    name: vet and test # kept
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - run: go test ./...
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: go vet ./...
`;

describe('golden-path:ci', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  const file = (path: string) =>
    mockDir.content({ path: 'workspace' })![path] as any;
  const workflowText = () =>
    mockDir.content({ path: 'workspace/.github/workflows' })![
      'ci.yaml'
    ] as string;
  const run = async (input: Record<string, unknown>) => {
    const ctx = createMockActionContext({ input, workspacePath } as any);
    await createCiAction().handler(ctx as any);
    return ctx;
  };

  beforeEach(() => {
    mockDir.setContent({
      'workspace/.github/workflows/ci.yaml': TEMPLATE_JOBS,
      'workspace/README.md': '# payments-api\n\nWhat it does.\n',
      'workspace/deploy/release.env': 'IMAGE=ghcr.io/acme/payments-api\n',
    });
  });

  it("keeps the template's jobs and adds the secret scan and an image job that needs all of them", async () => {
    await run({ language: 'go' });
    const workflow = yaml.parse(workflowText());
    expect(workflow.on).toEqual({
      push: { branches: ['main'] },
      pull_request: null,
    });
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(Object.keys(workflow.jobs)).toEqual([
      'test',
      'lint',
      'gitleaks',
      'image',
    ]);
    expect(workflow.jobs.image.needs).toEqual(['test', 'lint', 'gitleaks']);
    expect(workflowText()).toContain('name: vet and test # kept');
  });

  it('scans before anything is pushed, pushes with SBOM and provenance, and signs the digest keylessly', async () => {
    await run({ language: 'go' });
    const image = yaml.parse(workflowText()).jobs.image;
    expect(image.permissions['id-token']).toBe('write');
    const steps: any[] = image.steps;
    const index = (pattern: RegExp) =>
      steps.findIndex(s => pattern.test(s.uses ?? s.run ?? ''));
    const scan = steps[index(/^aquasecurity\/trivy-action@/)];
    expect(scan.with).toMatchObject({
      severity: 'CRITICAL',
      'ignore-unfixed': true,
      'exit-code': '1',
    });
    const push = steps.find(s => s.id === 'build');
    expect(push.with).toMatchObject({
      push: true,
      sbom: true,
      provenance: 'mode=max',
    });
    expect(index(/trivy-action/)).toBeLessThan(steps.indexOf(push));
    expect(index(/cosign sign --yes "\$IMAGE@\$DIGEST"/)).toBeGreaterThan(
      steps.indexOf(push),
    );
    expect(JSON.stringify(steps)).not.toMatch(/COSIGN_PRIVATE_KEY|--key/);
  });

  it('pins every action by a full commit SHA with its release as a comment', async () => {
    await run({ language: 'go' });
    const lines = workflowText()
      .split('\n')
      .filter(line => /uses:/.test(line));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(line).toMatch(
        /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/,
      );
    }
    for (const [sha, version] of Object.values(ACTION_PINS)) {
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      expect(version).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  });

  it('gives the same files when run again', async () => {
    await run({ language: 'go', repository: 'acme/payments-api' });
    const first = { workflow: workflowText(), readme: file('README.md') };
    await run({ language: 'go', repository: 'acme/payments-api' });
    expect({ workflow: workflowText(), readme: file('README.md') }).toEqual(
      first,
    );
    expect(first.readme.match(/## Verifying an image/g)).toHaveLength(1);
    expect(first.readme).toMatch(/^# payments-api\n\nWhat it does.\n/);
  });

  it.each([
    ['go', 'gomod'],
    ['java', 'maven'],
    ['node', 'npm'],
  ])(
    'configures Dependabot for %s, the actions and the base images',
    async (language, ecosystem) => {
      await run({ language });
      const config = yaml.parse(
        mockDir.content({ path: 'workspace/.github' })![
          'dependabot.yml'
        ] as string,
      );
      expect(config.updates.map((u: any) => u['package-ecosystem'])).toEqual([
        ecosystem,
        'github-actions',
        'docker',
      ]);
    },
  );

  it("tells in the README how to verify a signature with this repository's identity and the image", async () => {
    await run({ language: 'java', repository: 'acme/payments-api' });
    const readme: string = file('README.md');
    expect(readme).toContain(
      'cosign verify ghcr.io/acme/payments-api@sha256:<digest>',
    );
    expect(readme).toContain(
      "--certificate-identity 'https://github.com/acme/payments-api/.github/workflows/ci.yaml@refs/heads/main'",
    );
    expect(readme).toContain(
      '--certificate-oidc-issuer https://token.actions.githubusercontent.com',
    );
  });

  it('refuses a repository that is not owner/name, naming the field', async () => {
    await expect(
      run({
        language: 'go',
        repository: 'acme/x\n--certificate-identity-regexp .*',
      }),
    ).rejects.toThrow(/Invalid repository .* must be a GitHub repository/);
  });

  it('refuses a workflow without jobs of its own, so nothing is pushed untested', async () => {
    mockDir.setContent({
      'workspace/.github/workflows/ci.yaml':
        'jobs:\n  gitleaks:\n    runs-on: ubuntu-latest\n    steps: [{ run: "true" }]\n',
    });
    await expect(run({ language: 'go' })).rejects.toThrow(
      /no build or test job of its own/,
    );
    mockDir.setContent({});
    await expect(run({ language: 'go' })).rejects.toThrow(
      /ci\.yaml is missing: the template must render its own build and test jobs/,
    );
  });
});
