import { VAULT_VALUE_PROPERTY } from './remoteRef';
import {
  assertSecretPath,
  SecretCreateResult,
  SecretStore,
} from './SecretStore';

/** The error Vault KV v2 answers (HTTP 400) when `cas` does not match, i.e. for `cas: 0` when the secret exists. */
const CAS_MISMATCH =
  'check-and-set parameter did not match the current version';

/** Options of {@link VaultKvV2SecretStore}. */
export interface VaultKvV2SecretStoreOptions {
  /** Vault's base URL, e.g. `https://vault.example.com:8200`. */
  address: string;
  /**
   * A token with `create` and `update` on `<mount>/data/<paths>`. Vault checks `update` on a path that exists before
   * it applies check-and-set 0, so with `create` alone a secret that exists fails with 403 instead of `'exists'`;
   * check-and-set 0 still keeps it from being overwritten.
   */
  token: string;
  /** Mount path of the KV version 2 secrets engine. Default: `secret`. */
  mount?: string;
  /** Vault Enterprise / HCP namespace, sent as `X-Vault-Namespace`. */
  namespace?: string;
  /** How long one request may take. Default: 30 seconds. */
  timeoutMs?: number;
}

/**
 * Writes secrets to a Vault KV version 2 engine, each as `{ value: <secret> }` (see `VAULT_VALUE_PROPERTY`), with
 * check-and-set 0 so that Vault itself refuses to overwrite a secret that exists.
 */
export class VaultKvV2SecretStore implements SecretStore {
  readonly provider = 'vault' as const;
  readonly #address: string;
  readonly #token: string;
  readonly #mount: string;
  readonly #namespace?: string;
  readonly #timeoutMs: number;

  constructor(options: VaultKvV2SecretStoreOptions) {
    this.#address = options.address.replace(/\/+$/, '');
    this.#token = options.token;
    this.#mount = (options.mount ?? 'secret').replace(/^\/+|\/+$/g, '');
    this.#namespace = options.namespace;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    assertSecretPath(this.#mount);
  }

  describe(path: string): string {
    const where = `${this.#mount}/data/${path} at ${this.#address}`;
    return this.#namespace ? `${where} (namespace ${this.#namespace})` : where;
  }

  async create(path: string, value: string): Promise<SecretCreateResult> {
    assertSecretPath(path);
    const response = await this.#request('POST', 'data', path, 'write', {
      options: { cas: 0 },
      data: { [VAULT_VALUE_PROPERTY]: value },
    });
    const body = await readJson(response);
    const errors = errorsOf(body);
    if (response.status === 400 && errors.some(e => e.includes(CAS_MISMATCH))) {
      return 'exists';
    }
    if (!response.ok) {
      throw new Error(
        `Vault refused to write ${this.describe(path)}: HTTP ${
          response.status
        }${errors.length > 0 ? ` ${JSON.stringify(errors)}` : ''}`,
      );
    }
    // KV v2 answers 200 with the new version; a KV v1 mount answers 204 and has stored the body at data/<path>.
    if (typeof body?.data?.version !== 'number') {
      throw new Error(
        `Vault accepted the write to ${this.describe(
          path,
        )} but returned no secret version (HTTP ${response.status}): ` +
          `${
            this.#mount
          } is probably a KV version 1 mount, which stored the request at "data/${path}"; delete that ` +
          `entry and enable KV version 2 (vault kv enable-versioning ${
            this.#mount
          })`,
      );
    }
    return 'created';
  }

  /**
   * Whether a current (neither deleted nor destroyed) version of the secret exists, from the KV v2 metadata
   * endpoint: it never returns a value, so the token needs only `read` on `<mount>/metadata/<paths>`.
   */
  async exists(path: string): Promise<boolean> {
    assertSecretPath(path);
    const response = await this.#request('GET', 'metadata', path, 'read');
    if (response.status === 404) {
      return false;
    }
    const body = await readJson(response);
    if (!response.ok) {
      const errors = errorsOf(body);
      throw new Error(
        `Vault refused to read the metadata of ${this.describe(path)}: HTTP ${
          response.status
        }${errors.length > 0 ? ` ${JSON.stringify(errors)}` : ''}`,
      );
    }
    const current = body?.data?.versions?.[String(body?.data?.current_version)];
    return Boolean(current) && !current.destroyed && !current.deletion_time;
  }

  async #request(
    method: 'GET' | 'POST',
    kind: 'data' | 'metadata',
    path: string,
    verb: string,
    body?: unknown,
  ): Promise<Response> {
    const url = `${this.#address}/v1/${encodePath(
      this.#mount,
    )}/${kind}/${encodePath(path)}`;
    const headers: Record<string, string> = { 'X-Vault-Token': this.#token };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (this.#namespace) {
      headers['X-Vault-Namespace'] = this.#namespace;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect would re-send the token (and the secret) to wherever Location points; never follow one.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      throw new Error(
        `Could not reach Vault to ${verb} ${this.describe(path)}: ${
          (error as Error).message
        }${cause?.message ? ` (${cause.message})` : ''}`,
      );
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      throw new Error(
        `Vault answered the ${verb} of ${this.describe(
          path,
        )} with a redirect (HTTP ${response.status}${
          location ? ` to ${originOf(location, url)}` : ''
        }), which golden-path does not follow, ` +
          'so the token and the secret never go to another address: set goldenPath.secrets.vault.address to the address of the active Vault node or its load balancer',
      );
    }
    return response;
  }
}

function originOf(location: string, base: string): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return 'an invalid location';
  }
}

function errorsOf(body: any): string[] {
  return Array.isArray(body?.errors) ? body.errors.map(String) : [];
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

async function readJson(response: Response): Promise<any> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}
