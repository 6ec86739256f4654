// Small HTTP client for the running portal, as a signed-in user would call it.

export async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok)
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  return (await res.json()).backstageIdentity.token;
}

/**
 * Signs in through oauth2-proxy sign-in (X-Forwarded-User resolved to a catalog User), which only tests enable in
 * their config override; returns the response so callers can also check refusals.
 */
export async function proxySignIn(
  baseUrl: string,
  user: string,
): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/oauth2Proxy/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest', 'X-Forwarded-User': user },
  });
}

export async function getJson(url: string, token?: string): Promise<any> {
  const res = await fetch(url, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function listEntities(
  baseUrl: string,
  token: string,
): Promise<any[]> {
  return getJson(
    `${baseUrl}/api/catalog/entities?fields=kind,metadata.name,spec`,
    token,
  );
}

/** The scaffolder refused to create the task, e.g. because the values break the template's parameter schema. */
export class TaskRejected extends Error {
  readonly status: number;
  readonly body: string;
  constructor(status: number, body: string) {
    super(`creating task: ${status} ${body}`);
    this.status = status;
    this.body = body;
  }
}

export async function runTask(
  baseUrl: string,
  token: string,
  templateRef: string,
  values: Record<string, unknown>,
  secrets?: Record<string, string>,
): Promise<{ id: string; status: string; messages: string[]; output: any }> {
  const res = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ templateRef, values, secrets }),
  });
  if (res.status !== 201) throw new TaskRejected(res.status, await res.text());
  const { id } = await res.json();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const task = await getJson(
      `${baseUrl}/api/scaffolder/v2/tasks/${id}`,
      token,
    );
    if (['completed', 'failed', 'cancelled'].includes(task.status)) {
      const events = await getJson(
        `${baseUrl}/api/scaffolder/v2/tasks/${id}/events`,
        token,
      );
      return {
        id,
        status: task.status,
        messages: events.map((e: any) => String(e.body?.message ?? '')),
        output: events.find((e: any) => e.type === 'completion')?.body?.output,
      };
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`task ${id} did not finish in 120 s`);
}
