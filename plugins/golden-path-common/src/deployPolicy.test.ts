import { ConfigReader } from '@backstage/config';
import { cronProblem } from './deployPolicy';
import { GoldenPathPolicy, readGoldenPathPolicy } from './policy';

function deploy(value: unknown): GoldenPathPolicy['deploy'] {
  return readGoldenPathPolicy(
    new ConfigReader({ goldenPath: { deploy: value } } as any),
  ).deploy;
}

describe('goldenPath.deploy registry and autoscaling', () => {
  it('reads the registry and the image pull secret', () => {
    expect(
      deploy({ registry: 'ghcr.io/acme', imagePullSecret: 'registry-pull' }),
    ).toMatchObject({
      registry: 'ghcr.io/acme',
      imagePullSecret: 'registry-pull',
    });
    expect(
      deploy({ registry: 'registry.acme.io:5000/team/apps' }).registry,
    ).toBe('registry.acme.io:5000/team/apps');
  });

  it.each([
    [
      'https://ghcr.io/acme',
      "Invalid goldenPath.deploy.registry: 'https://ghcr.io/acme' must not have a scheme",
    ],
    [
      'ghcr.io/my team',
      "Invalid goldenPath.deploy.registry: 'ghcr.io/my team' is not a registry such as ghcr.io/acme",
    ],
    [
      'ghcr.io/acme/',
      "Invalid goldenPath.deploy.registry: 'ghcr.io/acme/' is not a registry",
    ],
    [
      'ghcr.io/Acme',
      "Invalid goldenPath.deploy.registry: 'ghcr.io/Acme' is not a registry",
    ],
    [
      'ghcr.io/acme:1.0',
      "Invalid goldenPath.deploy.registry: 'ghcr.io/acme:1.0' is not a registry",
    ],
  ])('refuses the registry %j, naming the key', (registry, message) => {
    expect(() => deploy({ registry })).toThrow(message);
  });

  it('refuses an image pull secret that is not an object name', () => {
    expect(() => deploy({ imagePullSecret: 'Pull Secret' })).toThrow(
      "Invalid goldenPath.deploy.imagePullSecret: 'Pull Secret' is not a valid Kubernetes object name",
    );
  });

  it('gives each environment its own bounds, with deploy.hpa for those not listed', () => {
    expect(
      deploy({
        hpa: { min: 2, max: 6 },
        autoscaling: {
          environments: { dev: { min: 1, max: 2 }, prod: { min: 3, max: 20 } },
        },
      }).autoscaling.environments,
    ).toEqual({
      dev: { min: 1, max: 2 },
      staging: { min: 2, max: 6 },
      prod: { min: 3, max: 20 },
    });
  });

  it('reads peak windows from a schedule or from dates, for all or some environments', () => {
    const { peakWindows } = deploy({
      autoscaling: {
        peakWindows: [
          {
            name: 'month-end',
            schedule: { start: '0 6 28-31 * *', end: '0  22 28-31 * *' },
            min: 4,
            max: 30,
          },
          {
            name: 'black-friday',
            dates: { from: '11-27', to: '11-30' },
            timezone: 'Europe/Berlin',
            environments: ['prod'],
            min: 10,
            max: 40,
          },
          {
            name: 'new-year',
            dates: { from: '12-31', to: '12-31' },
            min: 5,
            max: 9,
          },
        ],
      },
    }).autoscaling;
    expect(peakWindows).toEqual([
      {
        name: 'month-end',
        start: '0 6 28-31 * *',
        end: '0 22 28-31 * *',
        timezone: 'UTC',
        environments: ['dev', 'staging', 'prod'],
        min: 4,
        max: 30,
      },
      {
        name: 'black-friday',
        start: '0 0 27 11 *',
        end: '0 0 1 12 *',
        timezone: 'Europe/Berlin',
        environments: ['prod'],
        min: 10,
        max: 40,
      },
      expect.objectContaining({ start: '0 0 31 12 *', end: '0 0 1 1 *' }),
    ]);
  });

  const window = {
    name: 'sale',
    schedule: { start: '0 8 * * 1', end: '0 20 * * 1' },
    min: 5,
    max: 10,
  };
  it.each([
    [
      { peakWindows: [{ ...window, min: 12 }] },
      'goldenPath.deploy.autoscaling.peakWindows[0].min (12) must not exceed goldenPath.deploy.autoscaling.peakWindows[0].max (10)',
    ],
    [
      { peakWindows: [{ ...window, environments: ['prod', 'qa'] }] },
      "Invalid goldenPath.deploy.autoscaling.peakWindows[0].environments[1]: 'qa' is not one of the deploy environments (dev, staging, prod)",
    ],
    [
      {
        peakWindows: [
          { ...window, schedule: { start: '0 25 * * *', end: '0 20 * * 1' } },
        ],
      },
      "Invalid goldenPath.deploy.autoscaling.peakWindows[0].schedule.start: '0 25 * * *' field 2 (hour) '25' is not *, a value from 0 to 23",
    ],
    [
      {
        peakWindows: [
          { ...window, schedule: { start: 'every monday', end: '0 20 * * 1' } },
        ],
      },
      "Invalid goldenPath.deploy.autoscaling.peakWindows[0].schedule.start: 'every monday' must have 5 fields",
    ],
    [
      {
        peakWindows: [
          {
            ...window,
            schedule: undefined,
            dates: { from: '02-30', to: '03-01' },
          },
        ],
      },
      "Invalid goldenPath.deploy.autoscaling.peakWindows[0].dates.from: '02-30' is not a day of the year as MM-DD",
    ],
    [
      { peakWindows: [{ ...window, dates: { from: '11-27', to: '11-30' } }] },
      'goldenPath.deploy.autoscaling.peakWindows[0] needs exactly one of schedule',
    ],
    [
      { peakWindows: [{ ...window, timezone: 'Mars/Olympus' }] },
      "Invalid goldenPath.deploy.autoscaling.peakWindows[0].timezone: 'Mars/Olympus' is not an IANA time zone",
    ],
    [
      { peakWindows: [{ ...window, max: undefined }] },
      'goldenPath.deploy.autoscaling.peakWindows[0].max is required',
    ],
    [
      { peakWindows: [window, window] },
      "Invalid goldenPath.deploy.autoscaling.peakWindows: two peak windows are named 'sale'",
    ],
    [
      { environments: { prod: { min: 5, max: 3 } } },
      'goldenPath.deploy.autoscaling.environments.prod.min (5) must not exceed goldenPath.deploy.autoscaling.environments.prod.max (3)',
    ],
    [
      { environments: { qa: { min: 1, max: 2 } } },
      "Invalid goldenPath.deploy.autoscaling.environments.qa: 'qa' is not one of the deploy environments",
    ],
    [
      { engine: 'hpa', peakWindows: [window] },
      'Invalid goldenPath.deploy.autoscaling.engine: peak windows need the keda engine',
    ],
    [
      { engine: 'vpa' },
      "Invalid goldenPath.deploy.autoscaling.engine: 'vpa' is not one of keda, hpa",
    ],
  ])('refuses %j naming the key and the rule', (autoscaling, message) => {
    expect(() => deploy({ autoscaling })).toThrow(message);
  });

  it.each(['*/15 * * * *', '0 9-17 * * MON-FRI', '0 0 1,15 JAN,jul 0,7'])(
    'accepts the cron expression %j',
    expression => {
      expect(cronProblem(expression)).toBeUndefined();
    },
  );

  it.each([
    ['0 0 * *', 'must have 5 fields'],
    ['60 * * * *', "field 1 (minute) '60'"],
    ['0 0 0 * *', "field 3 (day of month) '0'"],
    ['0 0 * 13 *', "field 4 (month) '13'"],
    ['0 0 * * 5-2', "field 5 (day of week) '5-2'"],
    ['0 0 * * */0', "field 5 (day of week) '*/0'"],
  ])(
    'explains what is wrong with the cron expression %j',
    (expression, problem) => {
      expect(cronProblem(expression)).toContain(problem);
    },
  );
});
