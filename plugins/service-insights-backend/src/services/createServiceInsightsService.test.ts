import { CacheService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonValue } from '@backstage/types';
import {
  DEFAULT_GOLDEN_PATH_POLICY,
  summarizeService,
} from '@golden-path/common';
import { exampleOrg } from '../__testUtils__/exampleOrg';
import { decodeView } from './compactView';
import { createServiceInsightsService } from './createServiceInsightsService';

// The caching and catalog-access contract, against an in-memory catalog. Permissions are covered end to end in
// plugin.test.ts with the real catalog.

/** A cache that stores JSON text, like the Redis and Memcache stores do, so non-JSON values would show. */
function jsonCache(store = new Map<string, string>()) {
  const cache: CacheService = {
    async get<T extends JsonValue>(key: string) {
      const text = store.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    set: jest.fn(async (key: string, value: JsonValue) => {
      store.set(key, JSON.stringify(value));
    }),
    async delete(key: string) {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return { cache, store };
}

const query = {
  sort: 'name' as const,
  order: 'asc' as const,
  page: 1,
  pageSize: 200,
};

function setup(entities: Entity[] = exampleOrg) {
  const catalog = catalogServiceMock({ entities });
  const stream = jest.spyOn(catalog, 'streamEntities');
  const byRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
  const { cache, store } = jsonCache();
  const service = createServiceInsightsService({
    catalog,
    cache,
    policy: DEFAULT_GOLDEN_PATH_POLICY,
    logger: mockServices.logger.mock(),
  });
  return { service, stream, byRefs, cache, store };
}

const alice = { credentials: mockCredentials.user('user:default/alice') };
const bob = { credentials: mockCredentials.user('user:default/bob') };

describe('createServiceInsightsService', () => {
  it("reads the catalog with the caller's credentials and only the fields it needs", async () => {
    const { service, stream } = setup();
    await service.listServices(query, alice);
    expect(stream).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: { kind: 'component' },
        fields: expect.arrayContaining(['spec.owner', 'metadata.labels']),
      }),
      { credentials: alice.credentials },
    );
    for (const [request] of stream.mock.calls) {
      expect(request?.fields).not.toContain('relations');
      expect(request?.fields).not.toContain('metadata');
      expect(request?.fields).not.toContain('spec');
    }
    expect(stream.mock.calls.map(([request]) => request?.filter)).toEqual([
      { kind: 'component' },
      { kind: 'group' },
      { kind: 'system' },
    ]);
  });

  it('answers from the cache for the same caller, and reads again for another', async () => {
    const { service, stream, cache, store } = setup();
    await service.listServices(query, alice);
    await service.getRollups({}, alice);
    await service.getFilterOptions(alice);
    expect(stream).toHaveBeenCalledTimes(3);
    expect(cache.set).toHaveBeenCalledWith(
      'view:v1:user:user:default/alice',
      expect.anything(),
      { ttl: { seconds: 30 } },
    );

    await service.listServices(query, bob);
    expect(stream).toHaveBeenCalledTimes(6);
    expect([...store.keys()]).toEqual([
      'view:v1:user:user:default/alice',
      'view:v1:user:user:default/bob',
    ]);
  });

  it('shares one catalog read between requests that arrive together', async () => {
    const { service, stream } = setup();
    await Promise.all([
      service.listServices(query, alice),
      service.getRollups({}, alice),
      service.getFilterOptions(alice),
      service.exportCsv(query, alice),
    ]);
    expect(stream).toHaveBeenCalledTimes(3);
  });

  it('caches a compact payload that expands to exactly what summarizeService computes', async () => {
    const { service, store } = setup();
    const { items } = await service.listServices(query, alice);

    const byRef = new Map(exampleOrg.map(e => [stringifyEntityRef(e), e]));
    const expected = exampleOrg
      .filter(e => e.kind === 'Component')
      .map(e =>
        summarizeService(e, {
          policy: DEFAULT_GOLDEN_PATH_POLICY,
          entitiesByRef: ref => byRef.get(ref),
        }),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(items).toEqual(expected);

    // Served from the cache now, still identical.
    expect((await service.listServices(query, alice)).items).toEqual(expected);

    const cached = store.get('view:v1:user:user:default/alice')!;
    const json = JSON.stringify(await decodeView(JSON.parse(cached)));
    expect(json).toContain('"payments-api"');
    expect(json).not.toContain('lookback'); // trace URLs are rebuilt
    expect(json).not.toContain('must match'); // and so are the rules
    expect(json.length).toBeLessThan(JSON.stringify(expected).length * 0.7);
    expect(cached.length).toBeLessThan(json.length / 2);
  });

  it('treats cached values it cannot read as a miss', async () => {
    const { service, stream, store } = setup();
    store.set('view:v1:user:user:default/alice', JSON.stringify('garbage'));
    expect((await service.listServices(query, alice)).totalItems).toBe(12);
    expect(stream).toHaveBeenCalledTimes(3);
  });

  it('looks up user owners by ref, and only those', async () => {
    const { service, byRefs } = setup();
    const { items } = await service.listServices(query, alice);
    expect(byRefs).toHaveBeenCalledTimes(1);
    expect(byRefs.mock.calls[0][0].entityRefs).toEqual([
      'user:default/grace.hopper',
    ]);
    expect(items.find(i => i.name === 'developer-portal')?.owner).toEqual({
      ref: 'user:default/grace.hopper',
      resolved: true,
      kind: 'User',
      displayName: 'Grace Hopper',
      email: 'grace@example.com',
      parents: [],
    });
  });

  it('still answers when the cache fails', async () => {
    const { service, cache } = setup();
    cache.get = jest.fn().mockRejectedValue(new Error('cache down'));
    (cache.set as jest.Mock).mockRejectedValue(new Error('cache down'));
    const { totalItems } = await service.listServices(query, alice);
    expect(totalItems).toBe(12);
  });

  it('fetches one service without reading the whole catalog', async () => {
    const { service, stream } = setup();
    const insight = await service.getService(
      'component:default/fraud-scorer',
      alice,
    );
    expect(stream).not.toHaveBeenCalled();
    expect(insight.owner.parents.map(p => p.ref)).toEqual([
      'group:default/team-payments',
      'group:default/engineering',
    ]);
    await expect(
      service.getService('component:default/nothing', alice),
    ).rejects.toThrow('No component component:default/nothing was found');
    await expect(
      service.getService('group:default/engineering', alice),
    ).rejects.toThrow(/No component/);
  });

  it('keeps no view for principals other than users and services', async () => {
    const { service } = setup();
    await expect(
      service.listServices(query, { credentials: mockCredentials.none() }),
    ).rejects.toThrow('only computed for users and services');
  });
});
