import { CommonValidatorFunctions } from '@backstage/catalog-model';
import { ConfigValue, describe } from './configValue';

/**
 * The image and autoscaling parts of `goldenPath.deploy`: where CI pushes images, and how many replicas each
 * environment runs, including the peak windows (sales, campaigns, month-end) when the bounds are raised.
 */

/** How generated services scale: KEDA `ScaledObject` (cpu + cron + event triggers) or a plain HPA. */
export const AUTOSCALING_ENGINES = ['keda', 'hpa'] as const;

/** One of {@link AUTOSCALING_ENGINES}. */
export type AutoscalingEngine = (typeof AUTOSCALING_ENGINES)[number];

/** Replica bounds. */
export interface ReplicaBounds {
  min: number;
  max: number;
}

/**
 * A time when traffic is known to be far above normal: the listed environments run at least `min` replicas and may
 * scale up to `max` between `start` and `end` (5-field cron expressions in `timezone`, as KEDA's cron trigger reads
 * them).
 */
export interface PeakWindow {
  name: string;
  start: string;
  end: string;
  timezone: string;
  environments: readonly string[];
  min: number;
  max: number;
}

/** Autoscaling of generated services, resolved for every environment. */
export interface AutoscalingPolicy {
  engine: AutoscalingEngine;
  /** Bounds on ordinary days, for every deploy environment. */
  environments: Readonly<Record<string, ReplicaBounds>>;
  peakWindows: readonly PeakWindow[];
}

// A registry host (optionally with a port) and path, lowercase, as image references spell them.
const REGISTRY =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$/;

/** Reads `deploy.registry`; undefined when unset. Refuses schemes, spaces, tags and anything else that is not a repository prefix. */
export function readRegistry(value: ConfigValue): string | undefined {
  const registry = value.string();
  if (registry === undefined) {
    return undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(registry)) {
    value.fail(
      `${describe(
        registry,
      )} must not have a scheme: write the registry as image references do, e.g. ghcr.io/acme`,
    );
  }
  if (!REGISTRY.test(registry) || registry.length > 200) {
    value.fail(
      `${describe(
        registry,
      )} is not a registry such as ghcr.io/acme (lowercase host, optional port and path; no spaces, tag or trailing slash)`,
    );
  }
  return registry;
}

/** Reads an optional Kubernetes object name, such as the image pull secret. */
export function readObjectName(value: ConfigValue): string | undefined {
  const name = value.string();
  if (
    name !== undefined &&
    !CommonValidatorFunctions.isValidDnsSubdomain(name)
  ) {
    value.fail(
      `${describe(
        name,
      )} is not a valid Kubernetes object name (lowercase letters, digits, "-" and ".")`,
    );
  }
  return name;
}

/** Reads `deploy.autoscaling`, with `defaults` (`deploy.hpa`) for environments it does not list. */
export function readAutoscaling(
  autoscaling: ConfigValue,
  environments: readonly string[],
  defaults: ReplicaBounds,
): AutoscalingPolicy {
  autoscaling.object();
  const engineValue = autoscaling.get('engine');
  const engine = engineValue.oneOf(AUTOSCALING_ENGINES) ?? 'keda';

  const perEnvironment = autoscaling.get('environments');
  for (const key of perEnvironment.keys()) {
    if (!environments.includes(key)) {
      perEnvironment
        .get(key)
        .fail(
          `${describe(
            key,
          )} is not one of the deploy environments (${environments.join(
            ', ',
          )})`,
        );
    }
  }
  const bounds: Record<string, ReplicaBounds> = {};
  for (const environment of environments) {
    bounds[environment] = readBounds(perEnvironment.get(environment), defaults);
  }

  const windowsValue = autoscaling.get('peakWindows');
  const peakWindows =
    windowsValue.list()?.map(item => readPeakWindow(item, environments)) ?? [];
  const names = peakWindows.map(window => window.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    windowsValue.fail(`two peak windows are named ${describe(duplicate)}`);
  }
  if (peakWindows.length > 0 && engine !== 'keda') {
    engineValue.fail(
      `peak windows need the keda engine (KEDA's cron trigger raises the replicas); remove ${windowsValue.key} or set the engine to keda`,
    );
  }
  return { engine, environments: bounds, peakWindows };
}

/** Reads `{ min, max }`, each defaulting to `defaults`; min must not exceed max. */
export function readBounds(
  value: ConfigValue,
  defaults: ReplicaBounds,
): ReplicaBounds {
  value.object();
  const min = readReplicas(value.get('min')) ?? defaults.min;
  const max = readReplicas(value.get('max')) ?? defaults.max;
  if (min > max) {
    value
      .get('min')
      .breaks(`(${min}) must not exceed ${value.get('max').key} (${max})`);
  }
  return { min, max };
}

/** A replica count, 1 or more. */
export function readReplicas(value: ConfigValue): number | undefined {
  const replicas = value.integer();
  if (replicas !== undefined && replicas < 1) {
    value.breaks(`must be 1 or more, got ${replicas}`);
  }
  return replicas;
}

function readPeakWindow(
  window: ConfigValue,
  environments: readonly string[],
): PeakWindow {
  window.object();
  const nameValue = window.get('name');
  const name = nameValue.requiredString();
  if (!CommonValidatorFunctions.isValidDnsLabel(name)) {
    nameValue.fail(
      `${describe(
        name,
      )} must be lowercase letters, digits and hyphens (it names a KEDA trigger)`,
    );
  }

  const scheduleValue = window.get('schedule');
  const datesValue = window.get('dates');
  if (scheduleValue.isMissing === datesValue.isMissing) {
    window.breaks(
      'needs exactly one of schedule ({ start, end } cron expressions) or dates ({ from, to } as MM-DD)',
    );
  }
  const { start, end } = scheduleValue.isMissing
    ? datesToCron(datesValue)
    : {
        start: readCron(scheduleValue.get('start')),
        end: readCron(scheduleValue.get('end')),
      };

  const timezoneValue = window.get('timezone');
  const timezone = timezoneValue.string() ?? 'UTC';
  if (!isTimeZone(timezone)) {
    timezoneValue.fail(
      `${describe(
        timezone,
      )} is not an IANA time zone such as UTC or Europe/Berlin`,
    );
  }

  const environmentsValue = window.get('environments');
  const applies = environmentsValue.stringList() ?? [...environments];
  environmentsValue.list()?.forEach(item => {
    if (!environments.includes(item.value as string)) {
      item.fail(
        `${describe(
          item.value,
        )} is not one of the deploy environments (${environments.join(', ')})`,
      );
    }
  });

  const minValue = window.get('min');
  const min = readReplicas(minValue) ?? minValue.breaks('is required');
  const maxValue = window.get('max');
  const max = readReplicas(maxValue) ?? maxValue.breaks('is required');
  if (min > max) {
    minValue.breaks(`(${min}) must not exceed ${maxValue.key} (${max})`);
  }
  return { name, start, end, timezone, environments: applies, min, max };
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC',
  },
  { name: 'day of week', min: 0, max: 6, names: 'SUN MON TUE WED THU FRI SAT' },
];

/** Why `expression` is not a 5-field cron expression as KEDA's cron trigger parses it, or undefined when it is one. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  for (const [index, field] of fields.entries()) {
    const spec = CRON_FIELDS[index];
    const value = (text: string) => {
      const named = spec.names?.split(' ').indexOf(text.toUpperCase()) ?? -1;
      if (named !== -1) {
        return named + spec.min;
      }
      return /^\d+$/.test(text) ? Number(text) : NaN;
    };
    for (const part of field.split(',')) {
      const match = /^(\*|([^-/]+)(?:-([^-/]+))?)(?:\/(\d+))?$/.exec(part);
      const low = match?.[2] === undefined ? spec.min : value(match[2]);
      const high = match?.[3] === undefined ? low : value(match[3]);
      const step = match?.[4] === undefined ? 1 : Number(match[4]);
      // 7 is Sunday too in day-of-week.
      const top = index === 4 ? 7 : spec.max;
      if (
        !match ||
        [low, high].some(n => !(n >= spec.min && n <= top)) ||
        low > high ||
        step < 1
      ) {
        return `field ${index + 1} (${spec.name}) ${describe(
          part,
        )} is not *, a value from ${spec.min} to ${
          spec.max
        }, a range or a step`;
      }
    }
  }
  return undefined;
}

function readCron(value: ConfigValue): string {
  const expression = value.requiredString();
  const problem = cronProblem(expression);
  if (problem) {
    value.fail(`${describe(expression)} ${problem}`);
  }
  return expression.trim().split(/\s+/).join(' ');
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `dates: { from, to }` (MM-DD, both days included, every year) as the cron start and end of the window. */
function datesToCron(dates: ConfigValue): { start: string; end: string } {
  dates.object();
  const day = (value: ConfigValue) => {
    const text = value.requiredString();
    const match = /^(\d{2})-(\d{2})$/.exec(text);
    const month = Number(match?.[1]);
    const dayOfMonth = Number(match?.[2]);
    if (
      !match ||
      month < 1 ||
      month > 12 ||
      dayOfMonth < 1 ||
      dayOfMonth > DAYS_IN_MONTH[month - 1]
    ) {
      value.fail(
        `${describe(text)} is not a day of the year as MM-DD, e.g. 11-27`,
      );
    }
    return { month, dayOfMonth };
  };
  const from = day(dates.get('from'));
  const to = day(dates.get('to'));
  // The window ends at midnight after `to`.
  const after =
    to.dayOfMonth < DAYS_IN_MONTH[to.month - 1]
      ? { month: to.month, dayOfMonth: to.dayOfMonth + 1 }
      : { month: (to.month % 12) + 1, dayOfMonth: 1 };
  return {
    start: `0 0 ${from.dayOfMonth} ${from.month} *`,
    end: `0 0 ${after.dayOfMonth} ${after.month} *`,
  };
}

export function isTimeZone(timezone: string): boolean {
  try {
    // Throws a RangeError for a zone the runtime (and so KEDA's Go time package) does not know.
    return (
      new Intl.DateTimeFormat('en', { timeZone: timezone }).resolvedOptions()
        .timeZone !== undefined
    );
  } catch {
    return false;
  }
}
