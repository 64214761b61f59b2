/** Source and sink health at a glance: what `liqmon status` prints, from `/healthz` every few seconds. */
import type { HealthView } from './api.js';
import { el } from './format.js';

export function drawHealth(health: HealthView, parts: { status: HTMLElement; summary: HTMLElement; sources: HTMLTableElement; sinks: HTMLTableElement }): void {
  parts.status.textContent = health.status === 'ok' ? 'healthy' : 'UNHEALTHY';
  parts.status.className = `badge ${health.status === 'ok' ? 'ok' : 'bad'}`;
  parts.summary.textContent = health.problems.length > 0 ? health.problems.join('; ') : (health.summary ?? '');
  const sources = Object.entries(health.sources).map(([name, source]) => {
    const tr = el('tr', undefined, source.healthy ? '' : 'error');
    const state = source.connected ? 'connected' : `not connected${source.lastFailure ? ` (${source.lastFailure})` : ''}`;
    const age = source.lastMessageAgeMs === undefined ? '-' : `${(source.lastMessageAgeMs / 1000).toFixed(1)}s ago`;
    tr.append(el('td', name), el('td', state), el('td', `${source.events}`, 'num'), el('td', age, 'muted'));
    return tr;
  });
  (parts.sources.tBodies[0] ?? parts.sources.createTBody()).replaceChildren(...sources);
  const sinks = Object.entries(health.sinks).map(([name, sink]) => {
    const tr = el('tr', undefined, sink.healthy ? '' : 'error');
    const state = el('td', sink.state);
    if (sink.lastError) state.title = sink.lastError;
    tr.append(el('td', name), state, el('td', `${sink.queueDepth}`, 'num'), el('td', `${sink.sent}`, 'num'), el('td', `${sink.failed}`, 'num'));
    return tr;
  });
  (parts.sinks.tBodies[0] ?? parts.sinks.createTBody()).replaceChildren(...sinks);
}
