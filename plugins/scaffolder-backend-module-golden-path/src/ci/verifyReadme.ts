const BEGIN = '<!-- golden-path:ci verify -->';
const END = '<!-- /golden-path:ci verify -->';

/** GitHub's OIDC issuer, which Sigstore records in the certificate of every keyless signature made in Actions. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * The README section saying how to check that an image was built, scanned and signed by this repository's CI.
 * `repository` is `owner/name` on GitHub when known; `image` the repository CI pushes to.
 */
export function verifySection(options: {
  image?: string;
  repository?: string;
}): string {
  const image = options.image ?? '<image>';
  const repository = options.repository ?? '<owner>/<repository>';
  return `${BEGIN}
## Verifying an image

CI (\`.github/workflows/ci.yaml\`) pushes an image only after Trivy found no fixable critical vulnerability in it,
attaches an SBOM and SLSA provenance to it, and signs its digest with cosign: keyless, with the workflow's GitHub
OIDC identity, so there is no signing key to leak. Before you run an image, check that this repository's CI on
\`main\` signed it:

\`\`\`sh
cosign verify ${image}@sha256:<digest> \\
  --certificate-identity 'https://github.com/${repository}/.github/workflows/ci.yaml@refs/heads/main' \\
  --certificate-oidc-issuer ${GITHUB_OIDC_ISSUER}
docker buildx imagetools inspect ${image}@sha256:<digest> --format '{{ json .SBOM }}'        # the SBOM (SPDX)
docker buildx imagetools inspect ${image}@sha256:<digest> --format '{{ json .Provenance }}'  # how it was built
\`\`\`

The digest is in the CI run's summary and in \`deploy/overlays/<environment>/kustomization.yaml\`.
${END}
`;
}

/** Adds the section to a README, or replaces the one a previous run added; the rest is kept as it is. */
export function withVerifySection(readme: string, section: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start >= 0 && end > start) {
    const after = readme.slice(end + END.length).replace(/^\n/, '');
    return readme.slice(0, start) + section + after;
  }
  return `${readme.replace(/\n*$/, '\n')}\n${section}`;
}
