/** The page's requests to its own server (same origin: the auth cookie goes along). */
import type { AlertView, LiquidationView, SeriesView } from '../shapes.js';
import type { LiquidationStatsView } from './stats.js';

/** What `/api/info` says. */
export interface Info {
  version: string;
  history: { available: boolean; stats: boolean; reason?: string };
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${path}: HTTP ${response.status}`);
  return body;
}

export const api = {
  info: () => get<Info>('/api/info'),
  liquidations: (query: string) => get<LiquidationView[]>(`/api/liquidations?${query}`),
  stats: (query: string) => get<LiquidationStatsView>(`/api/stats?${query}`),
  series: (query: string) => get<SeriesView>(`/api/series?${query}`),
  alerts: (query: string) => get<AlertView[]>(`/api/alerts?${query}`),
  /** `/healthz` answers 503 with the same JSON when unhealthy. */
  health: async (): Promise<HealthView> => (await fetch('/healthz', { credentials: 'same-origin' })).json() as Promise<HealthView>,
};

/** The parts of `/healthz` the page shows (what `liqmon status` prints). */
export interface HealthView {
  status: 'ok' | 'unhealthy';
  summary?: string;
  sources: Record<string, { connected: boolean; healthy: boolean; events: number; lastMessageAgeMs?: number; lastFailure?: string; problem?: string }>;
  sinks: Record<string, { state: string; queueDepth: number; sent: number; failed: number; healthy: boolean; lastError?: string; problem?: string }>;
  problems: string[];
}
