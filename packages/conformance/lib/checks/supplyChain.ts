// Supply-chain checks on a generated repository: what CI runs (pinned actions; scan, SBOM, provenance, signature),
// what the image is built from (base images by digest, the Maven wrapper's checksum) and who keeps it current.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import YAML from 'yaml';

const read = (repoDir: string, path: string) =>
  readFileSync(join(repoDir, path), 'utf8');

/** `uses:` values that are not `owner/repo[/path]@<40 hex> # vX.Y.Z`. */
export function unpinnedActions(workflowText: string): string[] {
  return workflowText
    .split('\n')
    .filter(line => /^\s*(-\s+)?uses:/.test(line))
    .filter(
      line =>
        !/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(\.\d+){0,2}\s*$/.test(
          line,
        ),
    )
    .map(line => line.trim());
}

/** `FROM` lines of a Dockerfile whose image is not pinned by digest (stages built earlier in the file excepted). */
export function unpinnedBaseImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const problems: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(
      line.trim(),
    );
    if (!from) continue;
    const [, image, stage] = from;
    if (!stages.has(image) && !/@sha256:[0-9a-f]{64}$/.test(image)) {
      problems.push(line.trim());
    }
    if (stage) stages.add(stage);
  }
  const syntax = /^#\s*syntax=(\S+)/m.exec(dockerfile)?.[1];
  if (syntax && !/@sha256:[0-9a-f]{64}$/.test(syntax)) {
    problems.push(`# syntax=${syntax}`);
  }
  return problems;
}

/** Dependabot's ecosystem for the repository's dependency manifest. */
const ECOSYSTEMS: Array<[string, string]> = [
  ['go.mod', 'gomod'],
  ['pom.xml', 'maven'],
  ['package.json', 'npm'],
];

export function supplyChainChecks(repoDir: () => string) {
  it('pins every action in every workflow by a full commit SHA with its release as a comment', () => {
    const dir = join(repoDir(), '.github/workflows');
    const problems = readdirSync(dir).flatMap(file =>
      unpinnedActions(read(dir, file)).map(line => `${file}: ${line}`),
    );
    assert.deepEqual(problems, []);
  });

  it('gates the image on fixable critical findings before pushing it with an SBOM and provenance, then signs the digest keylessly', () => {
    const workflow = YAML.parse(read(repoDir(), '.github/workflows/ci.yaml'));
    const image = workflow.jobs.image;
    const others = Object.keys(workflow.jobs).filter(id => id !== 'image');
    assert.deepEqual([...image.needs].sort(), others.sort());
    assert.equal(image.permissions['id-token'], 'write');
    const steps: any[] = image.steps;
    const at = (test: (step: any) => boolean, what: string) => {
      const index = steps.findIndex(test);
      assert.ok(index >= 0, `image job has no step that ${what}`);
      return index;
    };
    const scan = at(
      s =>
        /^aquasecurity\/trivy-action@/.test(s.uses ?? '') &&
        s.with?.severity === 'CRITICAL' &&
        s.with?.['ignore-unfixed'] === true &&
        String(s.with?.['exit-code']) === '1',
      'fails on fixable critical findings (Trivy)',
    );
    const push = at(
      s =>
        /^docker\/build-push-action@/.test(s.uses ?? '') &&
        s.with?.push === true &&
        s.with?.sbom === true &&
        /^(true|mode=(min|max))$/.test(String(s.with?.provenance)),
      'pushes with an SBOM and provenance',
    );
    const sign = at(
      s => /cosign sign --yes "\$IMAGE@\$DIGEST"/.test(s.run ?? ''),
      'signs the pushed digest with cosign',
    );
    assert.ok(scan < push && push < sign, 'order: scan, push, sign');
    assert.doesNotMatch(
      JSON.stringify(steps),
      /--key\b|COSIGN_PRIVATE_KEY/,
      'keyless: no stored signing key',
    );
  });

  it('builds from base images pinned by digest, with a checksum on the Maven distribution', () => {
    assert.deepEqual(unpinnedBaseImages(read(repoDir(), 'Dockerfile')), []);
    const wrapper = '.mvn/wrapper/maven-wrapper.properties';
    if (existsSync(join(repoDir(), wrapper))) {
      assert.match(
        read(repoDir(), wrapper),
        /^distributionSha256Sum=[0-9a-f]{64}$/m,
      );
    }
  });

  it('has Dependabot keep the dependencies, the actions and the base images current, and says how to verify a signature', () => {
    const config = YAML.parse(read(repoDir(), '.github/dependabot.yml'));
    const ecosystem = ECOSYSTEMS.find(([file]) =>
      existsSync(join(repoDir(), file)),
    )?.[1];
    assert.deepEqual(
      config.updates.map((u: any) => u['package-ecosystem']).sort(),
      [ecosystem, 'docker', 'github-actions'].sort(),
    );
    const readme = read(repoDir(), 'README.md');
    assert.match(readme, /cosign verify \S+@sha256:<digest>/);
    assert.match(
      readme,
      /--certificate-oidc-issuer https:\/\/token\.actions\.githubusercontent\.com/,
    );
  });
}
