import { renderSecretsPath, secretsPathPatternProblem } from './secretsPath';

const values = {
  environment: 'prod',
  component: 'payments-api',
  key: 'db-password',
};

describe('secrets path pattern', () => {
  it.each([
    '{environment}/{component}/{key}',
    'secret/data/{component}/{environment}/{key}',
    '{component}-{key}',
  ])('accepts %s', pattern => {
    expect(secretsPathPatternProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['{environment}/{key}', 'must contain {component}'],
    ['static/path', 'must contain {component} and {key}'],
    [
      '{team}/{component}/{key}',
      'uses {team}, which is not a placeholder; use {environment}, {component}, {key}',
    ],
    ['{component}/{key', 'has an unbalanced "{" or "}"'],
    ['{component}/key}', 'has an unbalanced "{" or "}"'],
  ])('rejects %s: it %s', (pattern, problem) => {
    expect(secretsPathPatternProblem(pattern)).toBe(problem);
  });

  it('fills every placeholder', () => {
    expect(renderSecretsPath('{environment}/{component}/{key}', values)).toBe(
      'prod/payments-api/db-password',
    );
    expect(renderSecretsPath('{component}/{key}/{key}', values)).toBe(
      'payments-api/db-password/db-password',
    );
  });

  it.each(['', '../other', 'a/b', 'a\\b', '..'])(
    'refuses a value that could escape its segment: %j',
    key => {
      expect(() =>
        renderSecretsPath('{environment}/{component}/{key}', {
          ...values,
          key,
        }),
      ).toThrow(
        `Invalid secrets path key ${JSON.stringify(
          key,
        )}: it must be non-empty and must not contain "/", "\\" or ".."`,
      );
    },
  );

  it('refuses an invalid pattern', () => {
    expect(() => renderSecretsPath('{key}', values)).toThrow(
      "Secrets path pattern '{key}' must contain {component}",
    );
  });
});
