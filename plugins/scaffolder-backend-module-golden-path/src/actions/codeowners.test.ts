import yaml from 'yaml';
import {
  COMPONENT_CATALOG_INFO,
  createWorkspaceFixture,
} from '../__testUtils__/actionFixture';
import { createCodeownersAction } from './codeowners';
import { examples } from './codeowners.examples';

describe('golden-path:codeowners', () => {
  const ws = createWorkspaceFixture();
  const action = createCodeownersAction();

  it('makes the owning group the code owner', async () => {
    ws.reset({ 'catalog-info.yaml': COMPONENT_CATALOG_INFO });
    await action.handler(ws.context({}));
    expect(ws.read('.github/CODEOWNERS')).toBe(
      '# Owner in Backstage: group:default/team-payments. GitHub teams are written @<org>/<team>.\n*    @team-payments\n',
    );
  });

  it('qualifies a group with the GitHub organisation, but not a user', async () => {
    ws.reset({ 'catalog-info.yaml': COMPONENT_CATALOG_INFO });
    await action.handler(
      ws.context(yaml.parse(examples[0].example).steps[0].input),
    );
    expect(ws.read('.github/CODEOWNERS')).toContain('*    @acme/team-payments');
    ws.reset({
      'catalog-info.yaml': COMPONENT_CATALOG_INFO.replace(
        'group:default/team-payments',
        'user:default/ada',
      ),
    });
    await action.handler(ws.context({ githubOrg: 'acme' }));
    expect(ws.read('.github/CODEOWNERS')).toContain('*    @ada');
  });

  it('keeps an existing CODEOWNERS', async () => {
    ws.reset({
      'catalog-info.yaml': COMPONENT_CATALOG_INFO,
      '.github/CODEOWNERS': '* @someone\n',
    });
    await action.handler(ws.context({}));
    expect(ws.read('.github/CODEOWNERS')).toBe('* @someone\n');
  });

  it('needs an owner', async () => {
    ws.reset({
      'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: x\n',
    });
    await expect(action.handler(ws.context({}))).rejects.toThrow(
      'catalog-info.yaml has no spec.owner to derive CODEOWNERS from',
    );
  });
});
