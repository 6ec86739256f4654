import { ConfigValue, describe } from './configValue';
import { isTimeZone } from './deployPolicy';

/**
 * `goldenPath.chaos`: whether services may opt in to Chaos Mesh experiments, in which environment they run, and
 * when. Experiments only ever start on weekdays inside business hours, so someone is there to see what breaks.
 */
export interface ChaosPolicy {
  /** Services may opt in (the template's checkbox). Off: opting in is refused, naming this key. */
  enabled: boolean;
  /** The one environment whose overlay gets the experiments; never the last (production) one. */
  environment: string;
  /** IANA time zone of the business hours. */
  timezone: string;
  /** Weekdays (Monday to Friday), from `start` to `end` o'clock: every experiment starts and ends inside them. */
  businessHours: { start: number; end: number };
  /** The delay added toward each dependency, and for how long each time. */
  networkDelay: { latency: string; durationMinutes: number };
}

export const DEFAULT_CHAOS_POLICY: ChaosPolicy = {
  enabled: false,
  environment: 'staging',
  timezone: 'UTC',
  businessHours: { start: 10, end: 16 },
  networkDelay: { latency: '200ms', durationMinutes: 10 },
};

/** Reads `goldenPath.chaos`, checking the environment against the deploy environments (in promotion order). */
export function readChaosPolicy(
  chaos: ConfigValue,
  environments: readonly string[],
): ChaosPolicy {
  const defaults = DEFAULT_CHAOS_POLICY;
  const enabledValue = chaos.get('enabled');
  const enabled = readBoolean(enabledValue) ?? defaults.enabled;

  const environmentValue = chaos.get('environment');
  const environment = environmentValue.string() ?? defaults.environment;
  const index = environments.indexOf(environment);
  if (index < 0 && (enabled || !environmentValue.isMissing)) {
    environmentValue.fail(
      `${describe(
        environment,
      )} is not one of the deploy environments (${environments.join(', ')})`,
    );
  }
  if (index >= 0 && index === environments.length - 1) {
    environmentValue.fail(
      `${describe(
        environment,
      )} is the last deploy environment (production): experiments run before it`,
    );
  }

  const timezoneValue = chaos.get('timezone');
  const timezone = timezoneValue.string() ?? defaults.timezone;
  if (!isTimeZone(timezone)) {
    timezoneValue.fail(
      `${describe(
        timezone,
      )} is not an IANA time zone such as UTC or Europe/Berlin`,
    );
  }

  const hours = chaos.get('businessHours');
  const startValue = hours.get('start');
  const endValue = hours.get('end');
  const start = startValue.integer() ?? defaults.businessHours.start;
  const end = endValue.integer() ?? defaults.businessHours.end;
  if (start < 0 || start > 23) {
    startValue.breaks(`must be an hour from 0 to 23, got ${start}`);
  }
  if (end <= start || end > 24) {
    endValue.breaks(
      `must be an hour after ${startValue.key} (${start}) and at most 24, got ${end}`,
    );
  }

  const delay = chaos.get('networkDelay');
  const latencyValue = delay.get('latency');
  const latency = latencyValue.string() ?? defaults.networkDelay.latency;
  if (!/^[1-9][0-9]{0,4}ms$/.test(latency)) {
    latencyValue.fail(
      `${describe(
        latency,
      )} must be milliseconds such as 200ms (1ms to 99999ms)`,
    );
  }
  const durationValue = delay.get('durationMinutes');
  const durationMinutes =
    durationValue.integer() ?? defaults.networkDelay.durationMinutes;
  // Each delay starts at half past the hour and must be over before the next one, and so before the hours end.
  if (durationMinutes < 1 || durationMinutes > 29) {
    durationValue.breaks(
      `must be 1 to 29 minutes (each delay starts at half past an hour and ends before the next), got ${durationMinutes}`,
    );
  }
  return {
    enabled,
    environment,
    timezone,
    businessHours: { start, end },
    networkDelay: { latency, durationMinutes },
  };
}

function readBoolean(value: ConfigValue): boolean | undefined {
  if (value.isMissing) return undefined;
  if (value.value === true || value.value === 'true') return true;
  if (value.value === false || value.value === 'false') return false;
  return value.fail(`expected true or false, got ${describe(value.value)}`);
}
