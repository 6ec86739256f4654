import { ConfigReader, type JsonValue } from '@backstage/config';
import { readGoldenPathPolicy } from './policy';

const read = (chaos: JsonValue | undefined, deploy?: JsonValue) =>
  readGoldenPathPolicy(
    new ConfigReader({ goldenPath: { chaos, ...(deploy ? { deploy } : {}) } }),
  ).chaos;

describe('goldenPath.chaos', () => {
  it('is off unless the platform turns it on, in staging inside weekday business hours', () => {
    expect(read(undefined)).toEqual({
      enabled: false,
      environment: 'staging',
      timezone: 'UTC',
      businessHours: { start: 10, end: 16 },
      networkDelay: { latency: '200ms', durationMinutes: 10 },
    });
  });

  it('reads every key, env-substituted strings included', () => {
    expect(
      read({
        enabled: 'true',
        environment: 'dev',
        timezone: 'Europe/Berlin',
        businessHours: { start: '9', end: 17 },
        networkDelay: { latency: '50ms', durationMinutes: 5 },
      }),
    ).toEqual({
      enabled: true,
      environment: 'dev',
      timezone: 'Europe/Berlin',
      businessHours: { start: 9, end: 17 },
      networkDelay: { latency: '50ms', durationMinutes: 5 },
    });
  });

  it.each<[string, JsonValue, string]>([
    [
      'enabled is not a boolean',
      { enabled: 'yes' },
      "Invalid goldenPath.chaos.enabled: expected true or false, got 'yes'",
    ],
    [
      'the environment is not deployed to',
      { enabled: true, environment: 'qa' },
      "Invalid goldenPath.chaos.environment: 'qa' is not one of the deploy environments (dev, staging, prod)",
    ],
    [
      'the environment is production',
      { enabled: true, environment: 'prod' },
      "Invalid goldenPath.chaos.environment: 'prod' is the last deploy environment (production): experiments run before it",
    ],
    [
      'the time zone is unknown',
      { timezone: 'Mars/Olympus' },
      "Invalid goldenPath.chaos.timezone: 'Mars/Olympus' is not an IANA time zone such as UTC or Europe/Berlin",
    ],
    [
      'the hours end before they start',
      { businessHours: { start: 16, end: 10 } },
      'goldenPath.chaos.businessHours.end must be an hour after goldenPath.chaos.businessHours.start (16) and at most 24, got 10',
    ],
    [
      'the start is not an hour',
      { businessHours: { start: 25, end: 26 } },
      'goldenPath.chaos.businessHours.start must be an hour from 0 to 23, got 25',
    ],
    [
      'the latency has no unit',
      { networkDelay: { latency: '200' } },
      "Invalid goldenPath.chaos.networkDelay.latency: '200' must be milliseconds such as 200ms (1ms to 99999ms)",
    ],
    [
      'a delay would run into the next one',
      { networkDelay: { durationMinutes: 30 } },
      'goldenPath.chaos.networkDelay.durationMinutes must be 1 to 29 minutes (each delay starts at half past an hour and ends before the next), got 30',
    ],
  ])('refuses config where %s', (_, chaos, message) => {
    expect(() => read(chaos)).toThrow(message);
  });
});
