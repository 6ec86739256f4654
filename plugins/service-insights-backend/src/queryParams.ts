import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  COMPLIANCE_FILTERS,
  ComplianceFilter,
  MAX_RUNTIME_REFS,
  MAX_SERVICE_PAGE_SIZE,
  MAX_SERVICE_SEARCH_LENGTH,
  SERVICE_FILTER_PARAMETERS as P,
  SERVICE_LIST_DEFAULTS as DEFAULTS,
  SERVICE_SORT_FIELDS,
  SORT_ORDERS,
  ServiceFilters,
} from '@golden-path/common';
import { z } from 'zod';

// Query parameters as express (qs) parses them: a string, a list when repeated, an object for `a[b]=c`. Every
// schema names its parameter and rule in its message; an empty value counts as absent. Parameter names, defaults and
// limits are the request contract in @golden-path/common.

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

/** A parameter that may be given once. */
function single(name: string) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): string | undefined => {
      if (value === undefined) {
        return undefined;
      }
      if (typeof value !== 'string') {
        return fail(ctx, `${name} must be given at most once, as plain text`);
      }
      const trimmed = value.trim();
      return trimmed === '' ? undefined : trimmed;
    });
}

/** A parameter that may be repeated or hold a comma-separated list; `allowed` limits the values. */
function list(name: string, allowed?: readonly string[]) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): string[] | undefined => {
      if (value === undefined) {
        return undefined;
      }
      const items: unknown[] = Array.isArray(value) ? value : [value];
      if (!items.every(item => typeof item === 'string')) {
        return fail(ctx, `${name} must be text, repeated or comma-separated`);
      }
      const values = (items as string[])
        .flatMap(item => item.split(','))
        .map(item => item.trim())
        .filter(item => item !== '');
      const bad = allowed && values.find(item => !allowed.includes(item));
      if (bad !== undefined) {
        return fail(ctx, oneOf(name, allowed!, bad));
      }
      return values.length > 0 ? [...new Set(values)] : undefined;
    });
}

function oneOf(name: string, allowed: readonly string[], got: string) {
  return `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(
    got,
  )}`;
}

function choice<T extends string>(
  name: string,
  allowed: readonly T[],
  fallback: T,
) {
  return single(name).transform((value, ctx): T => {
    if (value === undefined) {
      return fallback;
    }
    if (!(allowed as readonly string[]).includes(value)) {
      return fail(ctx, oneOf(name, allowed, value));
    }
    return value as T;
  });
}

function integer(name: string, min: number, max: number, fallback: number) {
  const rule =
    max === Infinity
      ? `${name} must be a whole number of at least ${min}`
      : `${name} must be between ${min} and ${max}`;
  return single(name).transform((value, ctx): number => {
    if (value === undefined) {
      return fallback;
    }
    const number = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      return fail(ctx, `${rule}, got ${JSON.stringify(value)}`);
    }
    return number;
  });
}

/** An entity ref of one kind in canonical form; short refs take the kind and the default namespace. */
function entityRef(name: string, kind: string, example: string) {
  return single(name).transform((value, ctx): string | undefined => {
    if (value === undefined) {
      return undefined;
    }
    try {
      const ref = parseEntityRef(value, {
        defaultKind: kind,
        defaultNamespace: 'default',
      });
      if (ref.kind.toLocaleLowerCase('en-US') === kind) {
        return stringifyEntityRef(ref);
      }
    } catch {
      // Reported below.
    }
    return fail(
      ctx,
      `${name} must be a ${kind} entity ref such as ${example}, got ${JSON.stringify(
        value,
      )}`,
    );
  });
}

const filterShape = {
  [P.types]: list(P.types),
  [P.team]: entityRef(P.team, 'group', 'group:default/team-payments'),
  [P.costCenters]: list(P.costCenters),
  [P.environments]: list(P.environments),
  [P.lifecycles]: list(P.lifecycles),
  [P.compliance]: list(P.compliance, COMPLIANCE_FILTERS),
  [P.q]: single(P.q).refine(
    value => value === undefined || value.length <= MAX_SERVICE_SEARCH_LENGTH,
    {
      message: `${P.q} must be at most ${MAX_SERVICE_SEARCH_LENGTH} characters`,
    },
  ),
};

const sortShape = {
  sort: choice('sort', SERVICE_SORT_FIELDS, DEFAULTS.sort),
  order: choice('order', SORT_ORDERS, DEFAULTS.order),
};

const pageShape = {
  page: integer('page', 1, Infinity, DEFAULTS.page),
  pageSize: integer('pageSize', 1, MAX_SERVICE_PAGE_SIZE, DEFAULTS.pageSize),
};

/** The parsed parameters under the contract's filter names (plural lists). */
function toFilter(
  params: z.infer<z.ZodObject<typeof filterShape>>,
): ServiceFilters {
  return {
    types: params[P.types],
    team: params[P.team],
    costCenters: params[P.costCenters],
    environments: params[P.environments],
    lifecycles: params[P.lifecycles],
    compliance: params[P.compliance] as ComplianceFilter[] | undefined,
    q: params[P.q],
  };
}

/** `GET /services`. */
export const listQuery = z
  .object({ ...filterShape, ...sortShape, ...pageShape })
  .strict()
  .transform(({ sort, order, page, pageSize, ...filter }) => ({
    ...toFilter(filter),
    sort,
    order,
    page,
    pageSize,
  }));

/** `GET /services/export.csv`: every row, so no paging. */
export const exportQuery = z
  .object({ ...filterShape, ...sortShape })
  .strict()
  .transform(({ sort, order, ...filter }) => ({
    ...toFilter(filter),
    sort,
    order,
  }));

/** `GET /rollups`. */
export const rollupsQuery = z.object(filterShape).strict().transform(toFilter);

/** `GET /trends`: the total, one owning team's row (`team`) or one cost center's (`costCenter`). */
export function trendsQuery(maxDays: number) {
  return z
    .object({
      team: single('team'),
      costCenter: single('costCenter'),
      days: integer('days', 1, maxDays, Math.min(30, maxDays)),
    })
    .strict()
    .transform(({ team, costCenter, days }, ctx) => {
      if (team !== undefined && costCenter !== undefined) {
        return fail(ctx, 'give team or costCenter, not both');
      }
      if (team !== undefined) {
        return { scope: 'team' as const, key: team, days };
      }
      if (costCenter !== undefined) {
        return { scope: 'costCenter' as const, key: costCenter, days };
      }
      return { scope: 'total' as const, key: 'total', days };
    });
}

/** `GET /filters`. */
export const filtersQuery = z.object({}).strict();

/** `GET /entity`. */
export const entityQuery = z
  .object({
    ref: entityRef('ref', 'component', 'component:default/payments-api'),
  })
  .strict()
  .transform(({ ref }, ctx) => ref ?? fail(ctx, 'ref is required'));

/** `GET /runtime`: `ref` repeated (or comma-separated) with component entity refs. */
export const runtimeQuery = z
  .object({ ref: list('ref') })
  .strict()
  .transform(({ ref }, ctx): string[] => {
    if (!ref) return fail(ctx, 'ref is required');
    if (ref.length > MAX_RUNTIME_REFS) {
      return fail(ctx, `ref may be given at most ${MAX_RUNTIME_REFS} times`);
    }
    return ref.map(value => {
      try {
        const parsed = parseEntityRef(value, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
        if (parsed.kind.toLocaleLowerCase('en-US') === 'component') {
          return stringifyEntityRef(parsed);
        }
      } catch {
        // Reported below.
      }
      return fail(
        ctx,
        `ref must be a component entity ref such as component:default/payments-api, got ${JSON.stringify(
          value,
        )}`,
      );
    });
  });

/** Parses `req.query`; throws an `InputError` (400) naming each bad parameter and its rule. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const result = schema.safeParse(query);
  if (result.success) {
    return result.data;
  }
  const names = parameterNames(schema);
  const messages = result.error.issues.map(issue => {
    if (issue.code === 'unrecognized_keys') {
      return `${issue.keys.join(', ')} ${
        issue.keys.length === 1
          ? 'is not a known parameter'
          : 'are not known parameters'
      }; ${names.length ? `expected ${names.join(', ')}` : 'expected none'}`;
    }
    return issue.message;
  });
  throw new InputError(messages.join('; '));
}

/** The parameters an object schema (possibly inside transforms) accepts. */
function parameterNames(schema: z.ZodType): string[] {
  const shape = (schema as { shape?: object }).shape;
  if (shape) {
    return Object.keys(shape);
  }
  const inner = (schema as { def?: { in?: z.ZodType } }).def?.in;
  return inner ? parameterNames(inner) : [];
}
