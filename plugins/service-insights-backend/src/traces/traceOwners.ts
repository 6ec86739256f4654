import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GOLDEN_PATH_ANNOTATIONS,
  ServiceInsight,
  TraceBackendAnswer,
  TraceOwnersResponse,
  TraceService,
  TraceServiceComponent,
  entityServiceName,
} from '@golden-path/common';
import { fetchTrace } from './fetchTrace';
import { ServiceSpans, servicesInTrace } from './parseTrace';
import { TraceQueryConfig } from './traceBackends';

/** A trace with more services than this is summarised by its busiest ones: one catalog query stays bounded. */
export const MAX_SERVICES_PER_TRACE = 100;

export interface TraceOwnersService {
  /** The services of the trace (already a valid, lowercase trace id) with the components the caller may read. */
  getTraceOwners(
    traceId: string,
    options: { credentials: BackstageCredentials },
  ): Promise<TraceOwnersResponse>;
}

/**
 * "Who do I page for this trace": asks every configured tracing backend for the trace, server-side, collects the
 * `service.name` of each resource, and maps each to the catalog Components whose service name (the
 * `golden-path.io/otel-service-name` annotation, else `jaegertracing.io/service`) is that name, or, for Components
 * without either annotation, whose name is. Catalog reads use the caller's credentials, so a Component the caller
 * may not read is not listed; the owner comes from the stored insight, read the same way.
 */
export function createTraceOwnersService(options: {
  config: TraceQueryConfig;
  catalog: CatalogService;
  /** The stored insight of one component as the caller may read it (service-insights' own getService). */
  getService(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<ServiceInsight>;
  logger: LoggerService;
}): TraceOwnersService {
  const { config, catalog, getService, logger } = options;

  async function componentsFor(
    names: string[],
    credentials: BackstageCredentials,
  ): Promise<
    Map<string, Array<{ entity: Entity; matchedBy: 'annotation' | 'name' }>>
  > {
    const matches = new Map<
      string,
      Array<{ entity: Entity; matchedBy: 'annotation' | 'name' }>
    >();
    if (names.length === 0) return matches;
    const { items } = await catalog.getEntities(
      {
        filter: [
          {
            kind: 'Component',
            [`metadata.annotations.${GOLDEN_PATH_ANNOTATIONS.otelServiceName}`]:
              names,
          },
          {
            kind: 'Component',
            [`metadata.annotations.${GOLDEN_PATH_ANNOTATIONS.jaegerService}`]:
              names,
          },
          { kind: 'Component', 'metadata.name': names },
        ],
        fields: ['kind', 'metadata', 'spec'],
      },
      { credentials },
    );
    const wanted = new Set(names);
    const byLowerName = new Map(
      names.map(n => [n.toLocaleLowerCase('en-US'), n]),
    );
    for (const entity of items) {
      // The catalog matches values case-insensitively and across both annotations; the service name rule decides.
      const serviceName = entityServiceName(entity);
      let name: string | undefined;
      let matchedBy: 'annotation' | 'name' = 'annotation';
      if (serviceName !== undefined) {
        name = wanted.has(serviceName) ? serviceName : undefined;
      } else {
        name = byLowerName.get(entity.metadata.name.toLocaleLowerCase('en-US'));
        matchedBy = 'name';
      }
      if (name === undefined) continue;
      matches.set(name, [...(matches.get(name) ?? []), { entity, matchedBy }]);
    }
    return matches;
  }

  async function component(
    entity: Entity,
    matchedBy: 'annotation' | 'name',
    credentials: BackstageCredentials,
  ): Promise<TraceServiceComponent | undefined> {
    const entityRef = stringifyEntityRef(entity);
    try {
      const insight = await getService(entityRef, { credentials });
      return {
        entityRef: insight.entityRef,
        title: insight.title,
        system: insight.system,
        lifecycle: insight.lifecycle,
        owner: insight.owner,
        matchedBy,
      };
    } catch (error) {
      // Gone or hidden between the two reads: not listed, like any component the caller may not read.
      if ((error as Error).name === NotFoundError.name) return undefined;
      throw error;
    }
  }

  return {
    async getTraceOwners(traceId, { credentials }) {
      // One answer per backend, in config order.
      const answers: TraceBackendAnswer[] = config.backends.map(backend => ({
        title: backend.title,
        type: backend.type,
        status: 'not-found',
      }));
      const spans = new Map<string, ServiceSpans>();
      await Promise.all(
        config.backends.map(async (backend, index) => {
          const answer = answers[index];
          try {
            const fetched = await fetchTrace(backend, traceId, config);
            if (!fetched.found) return;
            const services = servicesInTrace(backend.type, fetched.body);
            answer.status = services.length > 0 ? 'found' : 'not-found';
            // A trace both backends hold (dual export) would count twice: keep the larger count per service.
            for (const service of services) {
              const known = spans.get(service.serviceName);
              if (!known || known.spans < service.spans) {
                spans.set(service.serviceName, service);
              }
            }
          } catch (error) {
            answer.status = 'error';
            answer.message = `${backend.title} ${(error as Error).message}`;
            logger.warn(
              `trace owners: ${backend.type} backend "${
                backend.title
              }" failed for trace ${traceId}: ${(error as Error).message}`,
            );
          }
        }),
      );

      const ordered = [...spans.values()]
        .sort(
          (a, b) =>
            b.errorSpans - a.errorSpans ||
            b.spans - a.spans ||
            a.serviceName.localeCompare(b.serviceName),
        )
        .slice(0, MAX_SERVICES_PER_TRACE);
      const matches = await componentsFor(
        ordered.map(s => s.serviceName),
        credentials,
      );
      const services: TraceService[] = await Promise.all(
        ordered.map(async s => ({
          ...s,
          components: (
            await Promise.all(
              (matches.get(s.serviceName) ?? []).map(m =>
                component(m.entity, m.matchedBy, credentials),
              ),
            )
          )
            .filter((c): c is TraceServiceComponent => c !== undefined)
            .sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
        })),
      );
      return { traceId, backends: answers, services };
    },
  };
}
