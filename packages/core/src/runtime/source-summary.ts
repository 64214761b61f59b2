/**
 * How the sources stand, in one line: logged once after start, and the `summary` of `/healthz` and
 * `liqmon status`. For example:
 *   2 sources: binance connected (usdm, coinm); bybit not connected, retrying (cannot list instruments: ENOTFOUND)
 */
import type { SourceHealth } from '../plugin.js';

/** What the summary reads of one source. */
export interface SummarySource {
  readonly name: string;
  health(): Pick<SourceHealth, 'connected' | 'feeds' | 'problem'> & { failed?: boolean };
}

/** The one-line summary of `sources` (see the module comment for the format). */
export function summarizeSources(sources: readonly SummarySource[]): string {
  const count = sources.length === 1 ? '1 source' : `${sources.length} sources`;
  if (sources.length === 0) return `${count}`;
  return `${count}: ${sources.map((source) => describeSource(source.name, source.health())).join('; ')}`;
}

/** `binance connected (usdm, coinm)`, `binance connected (usdm; coinm not connected: ENOTFOUND)`, `bybit not connected, retrying (...)`. */
function describeSource(name: string, health: Pick<SourceHealth, 'connected' | 'feeds' | 'problem'> & { failed?: boolean }): string {
  if (health.failed) return `${name} failed${health.problem ? ` (${health.problem})` : ''}`;
  const feeds = Object.entries(health.feeds ?? {});
  const open = feeds.filter(([, connected]) => connected).map(([feed]) => feed);
  const closed = feeds.filter(([, connected]) => !connected).map(([feed]) => feed);
  if (!health.connected) return `${name} not connected, retrying${health.problem ? ` (${health.problem})` : ''}`;
  if (closed.length === 0) return `${name} connected${open.length > 0 ? ` (${open.join(', ')})` : ''}`;
  const why = health.problem ? `: ${health.problem}` : '';
  return `${name} connected (${open.join(', ')}; ${closed.join(', ')} not connected${why})`;
}
