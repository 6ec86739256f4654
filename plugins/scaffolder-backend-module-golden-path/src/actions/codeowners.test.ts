import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import yaml from 'yaml';
import {
  COMPONENT_CATALOG_INFO,
  createWorkspaceFixture,
} from '../__testUtils__/actionFixture';
import { createCodeownersAction } from './codeowners';
import { examples } from './codeowners.examples';

describe('golden-path:codeowners', () => {
  const ws = createWorkspaceFixture();
  const withOrg = { github: { org: 'acme' } };
  const group = (annotations: Record<string, string> = {}) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments', namespace: 'default', annotations },
    spec: { type: 'team', children: [] },
  });
  const catalogInfoOwnedBy = (owner: string) =>
    COMPONENT_CATALOG_INFO.replace(
      'group:default/team-payments',
      JSON.stringify(owner),
    );

  it('makes the owning group the code owner as a team of the policy organisation', async () => {
    ws.reset({ 'catalog-info.yaml': COMPONENT_CATALOG_INFO });
    const ctx = ws.context({});
    await createCodeownersAction({ policy: withOrg }).handler(ctx);
    expect(ws.read('.github/CODEOWNERS')).toBe(
      '# Owner in Backstage: group:default/team-payments.\n*    @acme/team-payments\n',
    );
    expect(ctx.output).toHaveBeenCalledWith('owner', '@acme/team-payments');
  });

  it("prefers the group's github.com/team-slug annotation, as GitHub org ingestion sets it", async () => {
    ws.reset({ 'catalog-info.yaml': COMPONENT_CATALOG_INFO });
    const catalog = catalogServiceMock({
      entities: [group({ 'github.com/team-slug': 'acme-eu/payments' })],
    });
    await createCodeownersAction({ policy: withOrg, catalog }).handler(
      ws.context({}),
    );
    expect(ws.read('.github/CODEOWNERS')).toContain('*    @acme-eu/payments\n');
  });

  it('writes no CODEOWNERS when the organisation is unknown, rather than a bare @team (a user handle to GitHub)', async () => {
    ws.reset({ 'catalog-info.yaml': COMPONENT_CATALOG_INFO });
    const ctx = ws.context({});
    const warn = jest.spyOn(ctx.logger, 'warn');
    await createCodeownersAction({
      policy: { github: {} },
      catalog: catalogServiceMock({ entities: [group()] }),
    }).handler(ctx);
    expect(ws.exists('.github/CODEOWNERS')).toBe(false);
    expect(ctx.output).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('the GitHub organisation is unknown'),
    );
  });

  it("uses a user's github.com/user-login, and writes nothing for a user without one", async () => {
    const ada = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: {
        name: 'ada',
        namespace: 'default',
        annotations: { 'github.com/user-login': 'ada-lovelace' },
      },
      spec: {},
    };
    ws.reset({ 'catalog-info.yaml': catalogInfoOwnedBy('user:default/ada') });
    await createCodeownersAction({
      policy: withOrg,
      catalog: catalogServiceMock({ entities: [ada] }),
    }).handler(ws.context({}));
    expect(ws.read('.github/CODEOWNERS')).toContain('*    @ada-lovelace\n');

    ws.reset({ 'catalog-info.yaml': catalogInfoOwnedBy('user:default/ada') });
    await createCodeownersAction({ policy: withOrg }).handler(ws.context({}));
    expect(ws.exists('.github/CODEOWNERS')).toBe(false);
  });

  it('takes the organisation from the step input over the policy', async () => {
    ws.reset({ 'catalog-info.yaml': COMPONENT_CATALOG_INFO });
    await createCodeownersAction({ policy: { github: {} } }).handler(
      ws.context(yaml.parse(examples[0].example).steps[0].input),
    );
    expect(ws.read('.github/CODEOWNERS')).toContain('*    @acme/team-payments');
  });

  it('refuses an owner that is not an entity reference, naming the field, and writes nothing', async () => {
    ws.reset({
      'catalog-info.yaml': catalogInfoOwnedBy(
        'group:default/team-payments\n* @mallory',
      ),
    });
    await expect(
      createCodeownersAction({ policy: withOrg }).handler(ws.context({})),
    ).rejects.toThrow(
      'Invalid spec.owner in catalog-info.yaml "group:default/team-payments\\n* @mallory": it must be an entity reference to a group or user',
    );
    expect(ws.exists('.github/CODEOWNERS')).toBe(false);
  });

  it('refuses an organisation that is not a GitHub name', async () => {
    ws.reset({ 'catalog-info.yaml': COMPONENT_CATALOG_INFO });
    await expect(
      createCodeownersAction({ policy: withOrg }).handler(
        ws.context({ githubOrg: 'acme\n* @mallory' }),
      ),
    ).rejects.toThrow('Invalid githubOrg');
    expect(ws.exists('.github/CODEOWNERS')).toBe(false);
  });

  it('keeps an existing CODEOWNERS', async () => {
    ws.reset({
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
      '.github/CODEOWNERS': '* @someone\n',
    });
    await createCodeownersAction({ policy: withOrg }).handler(ws.context({}));
    expect(ws.read('.github/CODEOWNERS')).toBe('* @someone\n');
  });

  it('needs an owner', async () => {
    ws.reset({
      'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: x\n',
    });
    await expect(
      createCodeownersAction({ policy: withOrg }).handler(ws.context({})),
    ).rejects.toThrow(
      'catalog-info.yaml has no spec.owner to derive CODEOWNERS from',
    );
  });
});
