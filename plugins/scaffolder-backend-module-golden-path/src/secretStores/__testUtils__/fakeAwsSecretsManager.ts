import { http, HttpResponse } from 'msw';

/** A request the fake Secrets Manager received. */
export interface AwsRequest {
  url: string;
  headers: Record<string, string>;
  body: any;
}

const ACCOUNT = '123456789012';

/**
 * An msw model of AWS Secrets Manager's `CreateSecret` (and `DescribeSecret`, metadata only) over its JSON 1.1 protocol: `POST /` with
 * `x-amz-target: secretsmanager.CreateSecret`, a SigV4 `Authorization` header, a JSON body
 * `{ Name, SecretString, ClientRequestToken }`, and `{ ARN, Name, VersionId }` or a 400 error named by `__type` and
 * `x-amzn-errortype`. A repeated request with the same token and value succeeds again (idempotency); any other
 * request for an existing name fails with `ResourceExistsException`.
 */
export function fakeAwsSecretsManager(
  options: { region?: string; endpoint?: string } = {},
) {
  const { region = 'eu-central-1' } = options;
  const endpoint =
    options.endpoint ?? `https://secretsmanager.${region}.amazonaws.com/`;
  /** Versions of each secret by name. */
  const secrets = new Map<
    string,
    { arn: string; versions: { versionId: string; secretString: string }[] }
  >();
  const requests: AwsRequest[] = [];
  const awsError = (status: number, type: string, message: string) =>
    HttpResponse.json(
      { __type: type, message },
      {
        status,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/`,
          'x-amzn-requestid': 'f1a2b3c4-0000-4000-8000-000000000000',
        },
      },
    );
  const ok = (body: object) =>
    HttpResponse.json(body, {
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': 'f1a2b3c4-0000-4000-8000-000000000001',
      },
    });

  const handler = http.post(endpoint, async ({ request }) => {
    const body = JSON.parse(await request.text());
    requests.push({
      url: request.url,
      headers: Object.fromEntries(request.headers.entries()),
      body,
    });

    const authorization = request.headers.get('authorization') ?? '';
    if (
      !authorization.startsWith('AWS4-HMAC-SHA256 Credential=') ||
      !authorization.includes(`/${region}/secretsmanager/aws4_request`)
    ) {
      return awsError(
        400,
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
      );
    }
    const target = request.headers.get('x-amz-target');
    if (target === 'secretsmanager.DescribeSecret') {
      const described = secrets.get(body.SecretId);
      if (!described) {
        return awsError(
          400,
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      }
      return ok({ ARN: described.arn, Name: body.SecretId });
    }
    if (target !== 'secretsmanager.CreateSecret') {
      return awsError(
        400,
        'UnknownOperationException',
        `Unknown operation ${target}`,
      );
    }
    const { Name, SecretString, ClientRequestToken } = body;
    if (
      typeof Name !== 'string' ||
      typeof ClientRequestToken !== 'string' ||
      ClientRequestToken.length < 32
    ) {
      return awsError(
        400,
        'ValidationException',
        'Invalid Name or ClientRequestToken',
      );
    }
    const existing = secrets.get(Name);
    if (existing) {
      const same = existing.versions.find(
        v => v.versionId === ClientRequestToken,
      );
      if (same && same.secretString === SecretString) {
        return ok({ ARN: existing.arn, Name, VersionId: ClientRequestToken });
      }
      return awsError(
        400,
        'ResourceExistsException',
        `The operation failed because the secret ${Name} already exists.`,
      );
    }
    const arn = `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${Name}-AbCdEf`;
    secrets.set(Name, {
      arn,
      versions: [{ versionId: ClientRequestToken, secretString: SecretString }],
    });
    return ok({ ARN: arn, Name, VersionId: ClientRequestToken });
  });

  return { handlers: [handler], secrets, requests, region, endpoint };
}

const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
];

/** Gives the AWS SDK's default credential chain dummy keys for the tests of this file, and restores the env after. */
export function registerDummyAwsCredentials() {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const name of AWS_ENV) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    process.env.AWS_ACCESS_KEY_ID = 'test-access-key-id';
    process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-access-key';
  });
  afterAll(() => {
    for (const name of AWS_ENV) {
      if (saved[name] === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = saved[name];
      }
    }
  });
}
