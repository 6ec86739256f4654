import yaml from 'yaml';
import {
  COMPONENT_CATALOG_INFO,
  createWorkspaceFixture,
} from '../__testUtils__/actionFixture';
import { createProvenanceAction } from './provenance';
import { examples } from './provenance.examples';

describe('golden-path:catalog:provenance', () => {
  const ws = createWorkspaceFixture();
  const action = createProvenanceAction();
  const templateInfo = {
    entityRef: 'template:default/go-api',
    baseUrl: 'file:///templates/go-api/template.yaml',
    entity: {
      metadata: {
        name: 'go-api',
        annotations: { 'backstage.io/template-version': '1.2.0' },
      },
    },
  };

  beforeEach(() => ws.reset({ 'catalog-info.yaml': COMPONENT_CATALOG_INFO }));

  it('stamps the template and its version', async () => {
    await action.handler(ws.context({}, { templateInfo }));
    expect(ws.yaml('catalog-info.yaml').metadata.annotations).toEqual({
      'backstage.io/source-template': 'template:default/go-api',
      'backstage.io/template-version': '1.2.0',
    });
  });

  it('says so when the template has no version', async () => {
    const ctx = ws.context(
      {},
      {
        templateInfo: {
          ...templateInfo,
          entity: { metadata: { name: 'go-api' } },
        },
      },
    );
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('templateVersion', 'unversioned');
  });

  it('needs a template registered in the catalog', async () => {
    await expect(
      action.handler(ws.context({}, { templateInfo: undefined })),
    ).rejects.toThrow('runs inside a template registered in the catalog');
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_, example) => {
      await action.handler(
        ws.context(yaml.parse(example.example).steps[0].input ?? {}, {
          templateInfo,
        }),
      );
      expect(ws.read('catalog-info.yaml')).toContain('template:default/go-api');
    },
  );
});
