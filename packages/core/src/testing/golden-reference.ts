/**
 * The local server behind a golden check: it answers the REST requests of a source's `prepare()` with
 * the snapshot in `reference.json`, so decoding needs no network and gives the same result every run.
 */
import { FakeExchangeServer, type RestRoute } from './fake-exchange.js';
import type { GoldenReference } from './golden-file.js';

/** Options of sources that follow the convention of newer venues: `restUrl` and `wsUrl` bases. */
const DEFAULT_OPTIONS = { restUrl: '${httpUrl}', wsUrl: '${wsUrl}' };

/** Starts a server answering the snapshot's REST paths (404 elsewhere). Always `close()` it. */
export function startReferenceServer(reference: GoldenReference = {}): Promise<FakeExchangeServer> {
  return FakeExchangeServer.start({ rest: restRoutes(reference.rest ?? {}) });
}

/**
 * Groups `path?query` keys by path: a request gets the reply of the first key whose query parameters
 * it all carries (so `?category=linear` answers `?category=linear&limit=1000`), else a 404.
 */
function restRoutes(rest: Record<string, unknown>): Record<string, RestRoute> {
  const byPath = new Map<string, { query: URLSearchParams; reply: unknown }[]>();
  for (const [key, reply] of Object.entries(rest)) {
    const url = new URL(key, 'http://reference');
    const list = byPath.get(url.pathname) ?? [];
    list.push({ query: url.searchParams, reply });
    byPath.set(url.pathname, list);
  }
  const routes: Record<string, RestRoute> = {};
  for (const [pathname, candidates] of byPath) {
    routes[pathname] = (url: URL) => {
      const match = candidates.find(({ query }) => [...query].every(([name, value]) => url.searchParams.get(name) === value));
      return match ? match.reply : { status: 404, body: { msg: `reference.json has no reply for ${pathname}${url.search}` } };
    };
  }
  return routes;
}

/** The source options of a reference, with `${httpUrl}` and `${wsUrl}` replaced by the server's. */
export function referenceOptions(reference: GoldenReference, server: FakeExchangeServer): Record<string, unknown> {
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replaceAll('${httpUrl}', server.httpUrl).replaceAll('${wsUrl}', server.wsUrl);
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(reference.options ?? DEFAULT_OPTIONS) as Record<string, unknown>;
}
