import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { RuntimeResponse, ServiceInsight } from '@golden-path/common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { testApis } from '../../__testUtils__/apis';
import {
  BASE_URL,
  CONFIG,
  componentEntity,
  insight,
} from '../../__testUtils__/fixtures';
import { ServiceInsightsCard } from './ServiceInsightsCard';

// eslint-disable-next-line no-script-url -- the tests prove such a URL never becomes a link
const SCRIPT_URL = 'javascript:alert(document.cookie)';

const server = setupServer();
registerMswTestHooks(server);

function serve(body: ServiceInsight | { status: number }) {
  server.use(
    http.get(`${BASE_URL}/entity`, () =>
      'status' in body && typeof body.status === 'number'
        ? HttpResponse.json(
            { error: { name: 'NotFoundError', message: 'not found' } },
            { status: body.status },
          )
        : HttpResponse.json(body),
    ),
  );
}

async function renderCard(
  entity: Entity = componentEntity(),
  config: Parameters<typeof testApis>[0] = CONFIG,
) {
  await renderInTestApp(
    <TestApiProvider apis={testApis(config)}>
      <EntityProvider entity={entity}>
        <ServiceInsightsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await screen.findByRole('region', { name: 'Trace links' });
}

/** The TraceQL query inside a Grafana Explore link. */
function tempoQuery(link: HTMLElement): string {
  const panes = new URL(link.getAttribute('href')!).searchParams.get('panes');
  return JSON.parse(panes!).a.queries[0].query;
}

function section(name: string) {
  return within(screen.getByRole('region', { name }));
}

function serveRuntime(body: RuntimeResponse) {
  server.use(http.get(`${BASE_URL}/runtime`, () => HttpResponse.json(body)));
}

describe('ServiceInsightsCard', () => {
  it('shows per environment what runs and each label the live objects lack, with the fix', async () => {
    serve(insight());
    let asked: string[] = [];
    server.use(
      http.get(`${BASE_URL}/runtime`, ({ request }) => {
        asked = new URL(request.url).searchParams.getAll('ref');
        const body: RuntimeResponse = {
          items: [
            {
              entityRef: 'component:default/payments-api',
              found: true,
              environments: [
                {
                  environment: 'dev',
                  state: 'running',
                  clusters: ['dev'],
                  desiredReplicas: 2,
                  readyReplicas: 2,
                  problems: [],
                },
                {
                  environment: 'staging',
                  state: 'not-deployed',
                  clusters: ['staging'],
                  desiredReplicas: 0,
                  readyReplicas: 0,
                  problems: [
                    {
                      object: 'staging Deployment payments-api',
                      message: 'not deployed in staging',
                      fix: 'Check the Flux Kustomization payments-api-staging in flux-system',
                    },
                  ],
                },
                {
                  environment: 'prod',
                  state: 'running',
                  clusters: ['prod'],
                  desiredReplicas: 3,
                  readyReplicas: 3,
                  problems: [
                    {
                      object: 'prod Deployment payments-api',
                      message:
                        'prod Deployment payments-api lacks label cost-center (the catalog says CC-1001)',
                      fix: 'flux reconcile kustomization payments-api-prod --with-source',
                    },
                  ],
                },
              ],
            },
          ],
        };
        return HttpResponse.json(body);
      }),
    );
    await renderCard();
    const runtime = within(
      await screen.findByRole('list', { name: 'Runtime' }),
    );

    expect(asked).toEqual(['component:default/payments-api']);
    expect(runtime.getByText('dev · Running · 2/2 ready')).toBeInTheDocument();
    expect(runtime.getByText('staging · Not deployed')).toBeInTheDocument();
    expect(runtime.getByText('not deployed in staging')).toBeInTheDocument();
    expect(runtime.getByText('prod · Drift · 3/3 ready')).toBeInTheDocument();
    expect(
      runtime.getByText(
        'prod Deployment payments-api lacks label cost-center (the catalog says CC-1001)',
      ),
    ).toBeInTheDocument();
    expect(
      runtime.getByText(
        'flux reconcile kustomization payments-api-prod --with-source',
      ),
    ).toBeInTheDocument();
  });

  it('says so when no cluster is configured for any environment', async () => {
    serve(insight());
    serveRuntime({
      items: [
        {
          entityRef: 'component:default/payments-api',
          found: true,
          environments: ['dev', 'prod'].map(environment => ({
            environment,
            state: 'no-cluster' as const,
            clusters: [],
            desiredReplicas: 0,
            readyReplicas: 0,
            problems: [
              {
                object: `${environment} cluster`,
                message: `no cluster is configured for ${environment}`,
                fix: 'Add the cluster',
              },
            ],
          })),
        },
      ],
    });
    await renderCard();
    expect(
      await screen.findByText(
        /No Kubernetes cluster is configured for dev, prod/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the owner with its parent chain and how to reach them', async () => {
    serve(insight());
    await renderCard();
    const ownership = section('Ownership');

    expect(ownership.getByRole('link', { name: 'Payments' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-payments',
    );
    expect(
      ownership.getByRole('link', { name: 'Engineering' }),
    ).toHaveAttribute('href', '/catalog/default/group/engineering');
    expect(
      ownership.getByRole('link', { name: 'payments@example.com' }),
    ).toHaveAttribute('href', 'mailto:payments@example.com');
    expect(ownership.getByText('#team-payments')).toBeInTheDocument();
    expect(ownership.getByRole('link', { name: 'checkout' })).toHaveAttribute(
      'href',
      '/catalog/default/system/checkout',
    );
    expect(ownership.getByRole('link', { name: 'commerce' })).toHaveAttribute(
      'href',
      '/catalog/default/domain/commerce',
    );
    expect(ownership.getByText('production')).toBeInTheDocument();
    expect(screen.getByText('Compliant')).toBeInTheDocument();
  });

  it('shows an owner missing from the catalog as a problem, with how to fix it', async () => {
    serve(
      insight({
        owner: { ref: 'group:default/x', resolved: false, parents: [] },
      }),
    );
    await renderCard();

    const alert = section('Ownership').getByRole('alert');
    expect(alert).toHaveTextContent('Owner not found');
    expect(alert).toHaveTextContent(
      'spec.owner points to group:default/x, which is not in the catalog',
    );
    expect(alert).toHaveTextContent(
      'add that group to the catalog (the org data), or set spec.owner',
    );
    expect(
      section('Ownership').queryByRole('link', { name: /group:default\/x/ }),
    ).not.toBeInTheDocument();
  });

  it('shows an owner email carrying mail headers as text, never as a mailto link', async () => {
    const email = 'payments@example.com?bcc=mallory@evil.example';
    const base = insight();
    serve(insight({ owner: { ...base.owner, email } }));
    await renderCard();
    const ownership = section('Ownership');
    expect(ownership.getByText(email)).toBeInTheDocument();
    expect(ownership.queryByRole('link', { name: email })).toBeNull();
    expect(
      ownership
        .queryAllByRole('link')
        .filter(link => link.getAttribute('href')?.startsWith('mailto:')),
    ).toEqual([]);
  });

  it('highlights missing and invalid cost tags with the rule and the fix', async () => {
    serve(
      insight({
        compliance: 'missing-tags',
        costTags: [
          { tag: 'team', value: 'payments', status: 'ok' },
          {
            tag: 'cost-center',
            value: '1234',
            status: 'invalid',
            rule: 'must match ^CC-[0-9]{4}$',
            message: 'cost-center "1234" must match ^CC-[0-9]{4}$',
          },
          {
            tag: 'product',
            status: 'missing',
            message: 'product is required',
          },
        ],
      }),
    );
    await renderCard();
    const tags = section('Cost tags');

    expect(
      tags.getByText('cost-center "1234" must match ^CC-[0-9]{4}$'),
    ).toBeInTheDocument();
    expect(
      tags.getByText('Rule: cost-center must match ^CC-[0-9]{4}$'),
    ).toBeInTheDocument();
    expect(
      tags.getByText(
        'Fix: Set metadata.labels["golden-path.io/cost-center"] in catalog-info.yaml to a value that must match ^CC-[0-9]{4}$',
      ),
    ).toBeInTheDocument();
    expect(tags.getByText('product is required')).toBeInTheDocument();
    expect(
      tags.getByText(
        'Fix: Set metadata.labels["golden-path.io/product"] in catalog-info.yaml',
      ),
    ).toBeInTheDocument();
    expect(tags.getByText('Invalid')).toBeInTheDocument();
    expect(tags.getByText('Missing')).toBeInTheDocument();
    expect(tags.getAllByText('OK')).toHaveLength(1);
    expect(screen.getByText('Missing tags')).toBeInTheDocument();
  });

  it('links to traces in every backend for the environment picked', async () => {
    serve(insight());
    await renderCard();
    const traces = section('Trace links');

    // Production first: the last environment in promotion order.
    expect(
      tempoQuery(traces.getByRole('link', { name: 'Grafana Tempo' })),
    ).toBe(
      '{resource.service.name="payments-api" && resource.deployment.environment.name="prod"}',
    );
    expect(traces.getByRole('link', { name: 'Jaeger' })).toHaveAttribute(
      'href',
      'https://jaeger.example.com/search?service=payments-api&lookback=1h',
    );

    await userEvent.click(traces.getByRole('button', { name: 'staging' }));

    const tempo = traces.getByRole('link', { name: 'Grafana Tempo' });
    expect(tempo.getAttribute('href')).toMatch(
      /^https:\/\/grafana\.example\.com\/explore\?/,
    );
    expect(tempoQuery(tempo)).toBe(
      '{resource.service.name="payments-api" && resource.deployment.environment.name="staging"}',
    );
    expect(
      traces.getByRole('list', { name: 'Trace links for staging' }),
    ).toBeInTheDocument();
  });

  it('explains which annotation to add when the component has no tracing', async () => {
    serve(insight({ tracing: { links: [] } }));
    await renderCard(componentEntity({}));
    const traces = section('Trace links');

    expect(traces.getByText(/No tracing set up/)).toBeInTheDocument();
    expect(
      traces.getByText(/golden-path\.io\/otel-service-name: payments-api/),
    ).toBeInTheDocument();
    expect(traces.queryByRole('link')).not.toBeInTheDocument();
  });

  it('never turns a javascript: URL into a link', async () => {
    serve(
      insight({
        owner: {
          ...insight().owner,
          chatChannel: SCRIPT_URL,
        },
      }),
    );
    await renderCard();

    expect(screen.getByText(SCRIPT_URL)).toBeInTheDocument();
    expect(document.querySelector(`a[href="${SCRIPT_URL}"]`)).toBeNull();
    expect(document.querySelector('a[href^="javascript" i]')).toBeNull();
  });

  it('shows HTML in tag values and descriptions as text', async () => {
    serve(
      insight({
        description: '<b>bold</b> claims',
        costTags: [
          {
            tag: 'product',
            value: '<img src=x onerror=alert(1)>',
            status: 'invalid',
            rule: 'must be a valid Kubernetes label value',
            message: 'product "<img src=x onerror=alert(1)>" is not valid',
          },
        ],
      }),
    );
    await renderCard();

    expect(
      section('Cost tags').getByText('<img src=x onerror=alert(1)>'),
    ).toBeInTheDocument();
    expect(screen.getByText('<b>bold</b> claims')).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
  });

  it('shows the template the component came from', async () => {
    serve(insight());
    await renderCard();
    const provenance = section('Provenance');
    expect(provenance.getByRole('link', { name: 'go-api' })).toHaveAttribute(
      'href',
      '/catalog/default/template/go-api',
    );
    expect(provenance.getByText('1.0.0')).toBeInTheDocument();
  });

  it('shows per environment which declared secrets exist in the secret manager, and warns about missing ones', async () => {
    serve(insight());
    const asked: string[] = [];
    server.use(
      http.get(`${BASE_URL}/secrets`, ({ request }) => {
        asked.push(new URL(request.url).searchParams.get('ref')!);
        return HttpResponse.json({
          provider: 'vault',
          environments: ['dev', 'staging', 'prod'],
          secrets: [
            {
              name: 'DB_PASSWORD',
              environments: {
                dev: 'present',
                staging: 'present',
                prod: 'missing',
              },
            },
          ],
        });
      }),
    );
    await renderCard(
      componentEntity({ 'golden-path.io/secrets': 'DB_PASSWORD' }),
    );
    const secrets = section('Secrets');
    const row = await secrets.findByRole('row', { name: /DB_PASSWORD/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual(['DB_PASSWORD', 'stored', 'stored', 'missing']);
    expect(
      secrets.getByText(/Not in vault yet: DB_PASSWORD in prod/),
    ).toBeInTheDocument();
    expect(asked).toEqual(['component:default/payments-api']);
  });

  it('has no secrets section for a component that declares none', async () => {
    serve(insight());
    await renderCard();
    expect(screen.queryByRole('region', { name: 'Secrets' })).toBeNull();
  });

  it('says so when the backend does not know the component, and still links traces', async () => {
    serve({ status: 404 });
    await renderCard();
    expect(
      await screen.findByText('No insights for this component'),
    ).toBeInTheDocument();
    expect(
      section('Trace links').getByRole('link', { name: 'Jaeger' }),
    ).toBeInTheDocument();
  });
});
