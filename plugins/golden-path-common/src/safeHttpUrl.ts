/**
 * The URL, normalised, when it parses as an absolute URL whose scheme is `http:` or `https:`; otherwise undefined.
 * Use it on anything that becomes a link, so that `javascript:`, `data:` and relative URLs never do.
 */
export function safeHttpUrl(url: string): string | undefined {
  if (typeof url !== 'string') {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:'
    ? parsed.href
    : undefined;
}

/**
 * Why `url` cannot be the base URL of a link target (Jaeger, Grafana), or undefined when it can. Base URLs end up in
 * the browser, so they must be plain http(s) URLs without credentials; links append their own path and query.
 */
export function baseUrlProblem(url: string): string | undefined {
  const safe = safeHttpUrl(url);
  if (!safe) {
    return 'must be an absolute http:// or https:// URL';
  }
  const parsed = new URL(safe);
  if (parsed.username || parsed.password) {
    return 'must not contain credentials';
  }
  if (parsed.search || parsed.hash) {
    return 'must not contain a query or fragment';
  }
  return undefined;
}

/** The base URL without trailing slashes, ready to append a path, or undefined when it is not usable. */
export function joinableBaseUrl(url: string): string | undefined {
  return baseUrlProblem(url)
    ? undefined
    : new URL(url).href.replace(/\/+$/, '');
}
