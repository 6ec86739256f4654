import { http, HttpResponse } from 'msw';

/** A request the fake Vault received. */
export interface VaultRequest {
  method: string;
  /** The URL path as sent, still percent-encoded. */
  pathname: string;
  headers: Record<string, string>;
  body: any;
}

/**
 * An msw model of Vault's KV version 2 write API (`POST|PUT /v1/<mount>/data/<path>`) and metadata read
 * (`GET /v1/<mount>/metadata/<path>`): token and namespace checks,
 * check-and-set (`options.cas`: write only when it equals the current version, 0 = only when absent) and Vault's
 * response and error shapes.
 */
export function fakeVault(
  options: {
    address?: string;
    token?: string;
    mount?: string;
    namespace?: string;
  } = {},
) {
  const {
    address = 'https://vault.example.com:8200',
    token = 'hvs.test-token-not-a-secret',
    mount = 'secret',
    namespace,
  } = options;
  /** Versions of each secret, keyed by its decoded path under the mount; the last one is current. */
  const secrets = new Map<string, Record<string, unknown>[]>();
  const requests: VaultRequest[] = [];
  const errors = (status: number, ...messages: string[]) =>
    HttpResponse.json({ errors: messages }, { status });

  const handler = http.all(`${address}/v1/*`, async ({ request }) => {
    const { pathname } = new URL(request.url);
    const text = await request.text();
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return errors(400, 'failed to parse JSON input');
    }
    requests.push({
      method: request.method,
      pathname,
      headers: Object.fromEntries(request.headers.entries()),
      body,
    });

    if (request.headers.get('x-vault-token') !== token) {
      return errors(403, 'permission denied');
    }
    if ((request.headers.get('x-vault-namespace') ?? undefined) !== namespace) {
      return errors(403, 'permission denied');
    }
    const metadataPrefix = `/v1/${mount}/metadata/`;
    if (pathname.startsWith(metadataPrefix) && request.method === 'GET') {
      const versions = secrets.get(
        decodePath(pathname.slice(metadataPrefix.length)),
      );
      if (!versions) {
        return errors(404);
      }
      return HttpResponse.json({
        data: {
          current_version: versions.length,
          versions: Object.fromEntries(
            versions.map((_, index) => [
              String(index + 1),
              {
                created_time: new Date().toISOString(),
                deletion_time: '',
                destroyed: false,
              },
            ]),
          ),
        },
      });
    }
    const prefix = `/v1/${mount}/data/`;
    if (!pathname.startsWith(prefix)) {
      return errors(
        404,
        `no handler for route "${pathname.slice(4)}". route entry not found.`,
      );
    }
    if (request.method !== 'POST' && request.method !== 'PUT') {
      return errors(405, 'unsupported operation');
    }
    const path = decodePath(pathname.slice(prefix.length));
    if (typeof body?.data !== 'object' || body.data === null) {
      return errors(400, 'no data provided');
    }
    const versions = secrets.get(path) ?? [];
    const cas = body.options?.cas;
    if (cas !== undefined && cas !== versions.length) {
      return errors(
        400,
        'check-and-set parameter did not match the current version',
      );
    }
    versions.push(body.data);
    secrets.set(path, versions);
    return HttpResponse.json({
      request_id: '4c6d2a1e-0000-4000-8000-000000000000',
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: {
        created_time: new Date().toISOString(),
        custom_metadata: null,
        deletion_time: '',
        destroyed: false,
        version: versions.length,
      },
      wrap_info: null,
      warnings: null,
      auth: null,
      mount_type: 'kv',
    });
  });

  return { handlers: [handler], secrets, requests, address, token, mount };
}

function decodePath(encoded: string): string {
  return encoded.split('/').map(decodeURIComponent).join('/');
}
