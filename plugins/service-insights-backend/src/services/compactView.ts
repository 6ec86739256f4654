import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import {
  CostTagValues,
  GOLDEN_PATH_ANNOTATIONS,
  GoldenPathPolicy,
  OwnerInsight,
  ServiceInsight,
  entityTraceLinks,
  validateCostTags,
} from '@golden-path/common';
import { InsightsView } from './loadInsights';

// What goes into the cache, per caller. A ServiceInsight repeats its owner (with the parent chain), the rule text
// and message of every cost-tag finding, and full trace URLs; all of that follows from a few values and the policy.
// So the cache holds each owner once, and per service only the cost-tag values and the tracing service name.
// Filtering, sorting and roll-ups run on this form; only the services a response returns are expanded, by the
// same shared functions summarizeService uses, so they are exactly what it returned.
//
// The view is stored as gzipped JSON in one base64 string: for 10,000 components about 0.7 MB instead of 5.7 MB of
// JSON (11 MB as ServiceInsight[]), and one string is also what cache stores (de)serialise fastest; a large
// object goes through Keyv's JSON reviver key by key, several times slower than JSON.parse.

const FORMAT = 1;

type CompactOwner = Omit<OwnerInsight, 'ref' | 'chatChannel'>;

/** One service as cached. */
export type CompactService = Omit<
  ServiceInsight,
  'owner' | 'costTags' | 'tracing'
> & {
  owner: string;
  chatChannel?: string;
  /** The cost-tag values that are set, valid or not. */
  tags?: CostTagValues;
  serviceName?: string;
};

/** The cached form of an {@link InsightsView}. */
export interface CompactView {
  format: typeof FORMAT;
  owners: Record<string, CompactOwner>;
  services: CompactService[];
  teams: InsightsView['teams'];
}

/** A service as queries see it: the cached fields, with its owner looked up (shared between its services). */
export interface ServiceRow {
  service: CompactService;
  owner: OwnerInsight;
}

export function compactView(view: InsightsView): CompactView {
  const owners: Record<string, CompactOwner> = {};
  const services = view.insights.map(insight => {
    const {
      owner: { ref, chatChannel, ...owner },
      costTags,
      tracing,
      ...rest
    } = insight;
    owners[ref] ??= owner;
    const tags = Object.fromEntries(
      costTags.flatMap(finding =>
        finding.value === undefined ? [] : [[finding.tag, finding.value]],
      ),
    );
    const service: CompactService = { ...rest, owner: ref };
    if (chatChannel !== undefined) service.chatChannel = chatChannel;
    if (Object.keys(tags).length > 0) service.tags = tags;
    if (tracing.serviceName !== undefined) {
      service.serviceName = tracing.serviceName;
    }
    return service;
  });
  return { format: FORMAT, owners, services, teams: view.teams };
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The view as the cache stores it. Compression runs on the libuv thread pool, off the event loop. */
export async function encodeView(view: CompactView): Promise<string> {
  return (await gzipAsync(JSON.stringify(view))).toString('base64');
}

/** The view from a cached value; undefined for anything this version did not write, which counts as a miss. */
export async function decodeView(
  value: unknown,
): Promise<CompactView | undefined> {
  if (typeof value !== 'string') {
    return undefined;
  }
  try {
    const view: unknown = JSON.parse(
      (await gunzipAsync(Buffer.from(value, 'base64'))).toString('utf8'),
    );
    return isCompactView(view) ? view : undefined;
  } catch {
    return undefined;
  }
}

function isCompactView(value: unknown): value is CompactView {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<CompactView>).format === FORMAT &&
    Array.isArray((value as Partial<CompactView>).services) &&
    typeof (value as Partial<CompactView>).owners === 'object'
  );
}

/** The rows to query, in cached order. */
export function rowsOf(view: CompactView): ServiceRow[] {
  const owners = new Map<string, OwnerInsight>();
  return view.services.map(service => {
    let owner = owners.get(service.owner);
    if (!owner) {
      owner = { ref: service.owner, ...view.owners[service.owner] };
      owners.set(service.owner, owner);
    }
    return { service, owner };
  });
}

/** The full ServiceInsight of a row, as summarizeService computed it. */
export function expandRow(
  { service, owner }: ServiceRow,
  policy: GoldenPathPolicy,
): ServiceInsight {
  const {
    owner: _ref,
    chatChannel,
    tags,
    serviceName: _name,
    ...rest
  } = service;
  return {
    ...rest,
    owner: {
      ...owner,
      parents: owner.parents.map(parent => ({ ...parent })),
      ...(chatChannel === undefined ? {} : { chatChannel }),
    },
    costTags: validateCostTags(policy, tags ?? {}),
    tracing: tracingOf(service, policy),
  };
}

/** The tracing part of a ServiceInsight, rebuilt from the service name. */
export function tracingOf(
  { name, serviceName }: CompactService,
  policy: GoldenPathPolicy,
): ServiceInsight['tracing'] {
  return serviceName
    ? entityTraceLinks(policy, {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          annotations: {
            [GOLDEN_PATH_ANNOTATIONS.otelServiceName]: serviceName,
          },
        },
      })
    : { links: [] };
}
