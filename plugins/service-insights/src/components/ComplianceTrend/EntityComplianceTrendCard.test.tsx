import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { testApis } from '../../__testUtils__/apis';
import { BASE_URL, trendResponse } from '../../__testUtils__/fixtures';
import { EntityComplianceTrendCard } from './EntityComplianceTrendCard';
import { trendHeadline } from './trendSummary';

const server = setupServer();
registerMswTestHooks(server);

const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

async function renderCard() {
  await renderInTestApp(
    <TestApiProvider apis={testApis()}>
      <EntityProvider entity={group}>
        <EntityComplianceTrendCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityComplianceTrendCard', () => {
  it("shows how the team's share of tagged and traced services moved, with a chart", async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get(`${BASE_URL}/trends`, ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json(trendResponse());
      }),
    );
    await renderCard();
    expect(
      await screen.findByText('Payments: 60 % → 85 % tagged in 30 days'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Payments: 50 % → 70 % traced in 30 days'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /Fully tagged: 60 %, 75 %, 85 %/ }),
    ).toBeInTheDocument();
    expect(asked.map(p => p.toString())).toEqual([
      'team=group%3Adefault%2Fteam-payments&days=30',
    ]);
  });

  it('says when there are no snapshots yet', async () => {
    server.use(
      http.get(`${BASE_URL}/trends`, () =>
        HttpResponse.json(trendResponse({ points: [] })),
      ),
    );
    await renderCard();
    expect(
      await screen.findByText(/No snapshots yet for Payments/),
    ).toBeInTheDocument();
  });

  it('explains a refusal for users who may not read the whole catalog', async () => {
    server.use(
      http.get(`${BASE_URL}/trends`, () =>
        HttpResponse.json(
          { error: { name: 'NotAllowedError', message: 'no' } },
          { status: 403 },
        ),
      ),
    );
    await renderCard();
    expect(
      await screen.findByText(
        /shown only to users who may read the whole catalog/,
      ),
    ).toBeInTheDocument();
  });
});

describe('trendHeadline', () => {
  it('speaks of today for a single snapshot, and of one day', () => {
    const [first, second] = trendResponse().points;
    expect(trendHeadline(trendResponse({ points: [first] }))).toBe(
      'Payments: 60 % tagged today',
    );
    expect(
      trendHeadline(
        trendResponse({ points: [first, { ...second, day: '2026-10-02' }] }),
        'tracedShare',
      ),
    ).toBe('Payments: 50 % → 55 % traced in 1 day');
  });
});
