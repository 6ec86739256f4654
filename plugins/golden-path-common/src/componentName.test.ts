import {
  assertValidComponentName,
  componentNameProblem,
  secretNameProblem,
} from './componentName';

describe('component name rule', () => {
  it.each(['a', 'payments-api', 'svc2', 'a1-b2-c3', 'x'.repeat(63)])(
    'accepts %s',
    name => {
      expect(componentNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['', 'is required'],
    ['../etc', 'must not contain path separators or ".."'],
    ['a..b', 'must not contain path separators or ".."'],
    ['team/api', 'must not contain path separators or ".."'],
    ['Payments', 'must be lowercase'],
    ['my api', 'must use lowercase letters'],
    ['x'.repeat(64), 'is 64 characters long; the limit is 63'],
    ['-api', 'must use lowercase letters'],
    ['api-', 'must use lowercase letters'],
    ['api--v2', 'must use lowercase letters'],
    ['1api', 'must use lowercase letters'],
    ['api_v2', 'must use lowercase letters'],
  ])('rejects %j because it %s', (name, problem) => {
    expect(componentNameProblem(name)).toContain(problem);
  });

  it('names the field in the error', () => {
    expect(() => assertValidComponentName('Bad', 'repoName')).toThrow(
      'Invalid repoName "Bad": it must be lowercase',
    );
  });
});

describe('secret name rule', () => {
  it.each(['DB_PASSWORD', 'A', 'STRIPE_API_KEY_2'])('accepts %s', name => {
    expect(secretNameProblem(name)).toBeUndefined();
  });
  it.each([
    'db-password',
    'DB-PASSWORD',
    '1KEY',
    '_KEY',
    'KEY NAME',
    '../KEY',
    'A'.repeat(64),
    '',
  ])('rejects %j', name => {
    expect(secretNameProblem(name)).toMatch(
      /is required|must use uppercase letters/,
    );
  });
});
