import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  AwsSecretsManagerSecretStore,
  idempotencyToken,
} from './AwsSecretsManagerSecretStore';
import {
  fakeAwsSecretsManager,
  registerDummyAwsCredentials,
} from './__testUtils__/fakeAwsSecretsManager';

describe('AwsSecretsManagerSecretStore', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  registerDummyAwsCredentials();

  it('creates the secret with CreateSecret over JSON 1.1, named by its path', async () => {
    const aws = fakeAwsSecretsManager({ region: 'eu-central-1' });
    server.use(...aws.handlers);
    const store = new AwsSecretsManagerSecretStore({ region: 'eu-central-1' });

    await expect(
      store.create('dev/payments-api/DB_PASSWORD', 's3cr3t', {
        requestId: 'task-1',
      }),
    ).resolves.toBe('created');

    expect(aws.requests).toHaveLength(1);
    const [request] = aws.requests;
    expect(request.url).toBe(
      'https://secretsmanager.eu-central-1.amazonaws.com/',
    );
    expect(request.headers).toMatchObject({
      'x-amz-target': 'secretsmanager.CreateSecret',
      'content-type': 'application/x-amz-json-1.1',
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=test-access-key-id\/\d{8}\/eu-central-1\/secretsmanager\/aws4_request/,
      ),
    });
    expect(request.body).toEqual({
      Name: 'dev/payments-api/DB_PASSWORD',
      SecretString: 's3cr3t',
      ClientRequestToken: idempotencyToken(
        'dev/payments-api/DB_PASSWORD',
        'task-1',
      ),
    });
    expect(aws.secrets.get('dev/payments-api/DB_PASSWORD')?.versions).toEqual([
      {
        versionId: request.body.ClientRequestToken,
        secretString: 's3cr3t',
      },
    ]);
  });

  it('reports an existing secret (ResourceExistsException) and does not change it', async () => {
    const aws = fakeAwsSecretsManager();
    server.use(...aws.handlers);
    const store = new AwsSecretsManagerSecretStore({ region: aws.region });

    await store.create('dev/payments-api/DB_PASSWORD', 'first', {
      requestId: 'task-1',
    });
    await expect(
      store.create('dev/payments-api/DB_PASSWORD', 'second', {
        requestId: 'task-2',
      }),
    ).resolves.toBe('exists');
    // Another task with the same value finds it existing too: the token belongs to the first task.
    await expect(
      store.create('dev/payments-api/DB_PASSWORD', 'first', {
        requestId: 'task-2',
      }),
    ).resolves.toBe('exists');
    expect(
      aws.secrets
        .get('dev/payments-api/DB_PASSWORD')
        ?.versions.map(v => v.secretString),
    ).toEqual(['first']);
  });

  it('counts a retry of the same task as created, without a second version', async () => {
    const aws = fakeAwsSecretsManager();
    server.use(...aws.handlers);
    const store = new AwsSecretsManagerSecretStore({ region: aws.region });

    await store.create('dev/x/KEY', 'v', { requestId: 'task-1' });
    await expect(
      store.create('dev/x/KEY', 'v', { requestId: 'task-1' }),
    ).resolves.toBe('created');
    expect(aws.secrets.get('dev/x/KEY')?.versions).toHaveLength(1);
  });

  it('sends requests to the configured endpoint', async () => {
    const aws = fakeAwsSecretsManager({
      region: 'us-east-1',
      endpoint: 'http://localhost:4566/',
    });
    server.use(...aws.handlers);
    const store = new AwsSecretsManagerSecretStore({
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
    });
    await expect(store.create('dev/x/KEY', 'v')).resolves.toBe('created');
    expect(aws.requests[0].url).toBe('http://localhost:4566/');
  });

  it('fails with the AWS error, without the value', async () => {
    server.use(
      http.post('https://secretsmanager.eu-west-1.amazonaws.com/', () =>
        HttpResponse.json(
          {
            __type: 'AccessDeniedException',
            message:
              'User: arn:aws:iam::123456789012:user/backstage is not authorized to perform: secretsmanager:CreateSecret',
          },
          {
            status: 400,
            headers: {
              'content-type': 'application/x-amz-json-1.1',
              'x-amzn-errortype': 'AccessDeniedException',
            },
          },
        ),
      ),
    );
    const store = new AwsSecretsManagerSecretStore({ region: 'eu-west-1' });
    const error = await store.create('dev/x/KEY', 'hidden-value').catch(e => e);
    expect(error.message).toBe(
      'AWS Secrets Manager could not create secret dev/x/KEY in AWS Secrets Manager (eu-west-1): ' +
        'AccessDeniedException: User: arn:aws:iam::123456789012:user/backstage is not authorized to perform: secretsmanager:CreateSecret',
    );
    expect(error.message).not.toContain('hidden-value');
  });

  it('derives stable idempotency tokens from the request and path only', () => {
    const token = idempotencyToken('dev/x/KEY', 'task-1');
    expect(token).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(idempotencyToken('dev/x/KEY', 'task-1')).toBe(token);
    expect(idempotencyToken('dev/x/KEY', 'task-2')).not.toBe(token);
    expect(idempotencyToken('prod/x/KEY', 'task-1')).not.toBe(token);
  });

  it('tells whether a secret exists with DescribeSecret, which returns no value', async () => {
    const aws = fakeAwsSecretsManager({ region: 'eu-central-1' });
    server.use(...aws.handlers);
    const store = new AwsSecretsManagerSecretStore({ region: 'eu-central-1' });
    await expect(store.exists('dev/payments-api/DB_PASSWORD')).resolves.toBe(
      false,
    );
    await store.create('dev/payments-api/DB_PASSWORD', 's3cr3t');
    await expect(store.exists('dev/payments-api/DB_PASSWORD')).resolves.toBe(
      true,
    );
    expect(aws.requests.map(r => r.headers['x-amz-target'])).toEqual([
      'secretsmanager.DescribeSecret',
      'secretsmanager.CreateSecret',
      'secretsmanager.DescribeSecret',
    ]);
  });
});
