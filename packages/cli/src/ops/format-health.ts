/** The health report as `liqmon status` prints it: one line per source and sink, problems last. */
import { seconds } from './health.js';
import type { ClusterHealthReport, HealthReport } from './health-report.js';

/** Readable, aligned text of a health report. `where` is the URL it came from. */
export function formatHealth(report: HealthReport, where: string): string {
  const lines: string[] = [];
  const verdict = report.status === 'ok' ? 'healthy' : 'UNHEALTHY';
  lines.push(`liqmon ${report.version} (pid ${report.pid}) at ${where}: ${verdict}, up ${seconds(report.uptimeMs)}`);
  if (report.summary && Object.keys(report.sources).length > 0) lines.push(oneLine(report.summary));

  lines.push('', 'sources');
  const sources = Object.entries(report.sources);
  const sourceWidth = Math.max(0, ...sources.map(([name]) => name.length));
  for (const [name, s] of sources) {
    const state = s.connected ? 'connected' : `${s.healthy ? 'down' : 'DOWN'} ${seconds(s.downForMs ?? 0)}`;
    const last = s.lastMessageAgeMs === undefined ? 'no message yet' : `last message ${seconds(s.lastMessageAgeMs)} ago`;
    const extra = [
      `reconnects ${s.reconnects}`,
      `liquidations ${s.events}`,
      ...(s.malformed > 0 ? [`malformed ${s.malformed}`] : []),
      ...((s.invalid ?? 0) > 0 ? [`invalid ${s.invalid} (${reasons(s.invalidByReason)})`] : []),
      ...((s.oversized ?? 0) > 0 ? [`oversized ${s.oversized}`] : []),
      ...((s.unknownInstrument ?? 0) > 0 ? [`unknown instrument ${s.unknownInstrument}`] : []),
    ];
    lines.push(`  ${name.padEnd(sourceWidth)}  ${state.padEnd(14)}  ${last.padEnd(26)}  ${extra.join('  ')}`);
    if (s.lastFailure !== undefined) lines.push(`  ${' '.repeat(sourceWidth)}  last failure: ${oneLine(s.lastFailure)}`);
  }
  if (sources.length === 0) lines.push('  (none)');

  lines.push('', 'sinks');
  const sinks = Object.entries(report.sinks);
  const sinkWidth = Math.max(0, ...sinks.map(([name]) => name.length));
  for (const [name, s] of sinks) {
    const state = s.state === 'failed' ? 'FAILED' : !s.healthy ? 'FAILING' : s.state;
    lines.push(`  ${name.padEnd(sinkWidth)}  ${state.padEnd(8)}  queue ${s.queueDepth}  sent ${s.sent}  failed ${s.failed}`);
    if (s.lastError !== undefined) lines.push(`  ${' '.repeat(sinkWidth)}  last error: ${oneLine(s.lastError)}`);
  }
  if (sinks.length === 0) lines.push('  (none)');

  if (report.store) {
    const { state, file, written, notStored, problem } = report.store;
    const missed = Object.entries(notStored).map(([reason, n]) => `${reason} ${n}`).join(', ');
    lines.push('', 'store');
    lines.push(`  ${state === 'on' ? 'on' : state.toUpperCase()}  ${file}  written ${written}${missed ? `  not stored: ${missed}` : ''}`);
    // Not shortened: the fix is at the end of the line.
    if (problem !== undefined) lines.push(`  ${problem.replace(/\s+/g, ' ').trim()}`);
  }

  if (report.journal) {
    const { state, recovered, failures, pending, lastError } = report.journal;
    lines.push('', 'outbox journal');
    if (state === 'off') lines.push('  OFF  alerts are delivered from memory; those queued when liqmon is killed are lost');
    else lines.push(`  ${state === 'ok' ? 'on' : 'FAILED'}  pending ${pending ?? '?'}  recovered at start ${recovered}  failures ${failures}`);
    if (lastError !== undefined) lines.push(`  ${state === 'off' ? '' : 'last error: '}${oneLine(lastError)}`);
  }
  if (report.cluster) lines.push('', ...clusterLines(report.cluster));

  if (report.problems.length > 0) {
    lines.push('', 'problems');
    for (const problem of report.problems) lines.push(`  - ${oneLine(problem)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `cluster prod: leader web-1 (this instance), lease renewed 2s ago (10s lease), leading for 5m`, then
 * one line per member.
 */
function clusterLines(c: ClusterHealthReport): string[] {
  const leader =
    c.leader === undefined
      ? 'NO LEADER'
      : `leader ${c.leader}${c.role === 'leader' ? ' (this instance)' : ''}, lease renewed ${seconds(c.leaseAgeMs ?? 0)} ago (${seconds(c.leaseMs)} lease)` +
        (c.leaderForMs === undefined ? '' : `, leading for ${seconds(c.leaderForMs)}`);
  const lines = [`cluster ${c.name}: ${c.connected ? '' : 'NOT CONNECTED to NATS, '}${leader}`];
  const width = Math.max(0, ...c.members.map((m) => m.instance.length));
  for (const m of c.members) {
    const role = m.instance === c.leader ? 'leader' : 'follower';
    const self = m.instance === c.instance ? '  (this instance)' : '';
    lines.push(`  ${m.instance.padEnd(width)}  ${role.padEnd(8)}  ${m.host} pid ${m.pid}  seen ${seconds(m.lastSeenMs)} ago${self}`);
  }
  lines.push(`  published ${c.published}  unpublished ${c.unpublished}${c.role === 'leader' ? `  in flight ${c.inFlight}` : ''}`);
  if (c.lastError !== undefined) lines.push(`  last error: ${oneLine(c.lastError)}`);
  return lines;
}

/** `price 3, time 1`: the reasons invalid liquidations were dropped, most frequent first. */
function reasons(byReason: Readonly<Record<string, number>> | undefined): string {
  return Object.entries(byReason ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
