/**
 * What the soak (../soak.mjs) reads and reports: the liqmon child's heap probes, each sink's counts and
 * checks, and a short table of both for the end of a run.
 */
import { mb } from './setup.mjs';

/** The bench sink probe's `BENCH_MEMORY {...}` lines on the child's stderr, in MB (heap after a full GC). */
export function heapSamples(stderr) {
  return [...stderr.matchAll(/BENCH_MEMORY (\{.*\})/g)].map((match) => {
    const { before, after } = JSON.parse(match[1]);
    return {
      rssMB: mb(before.rss),
      // What V8 has reserved for the heap (live data, garbage not yet collected, room to allocate).
      heapTotalMB: mb(before.heapTotal),
      heapBeforeGcMB: mb(before.heapUsed),
      heapAfterGcMB: mb(after.heapUsed),
      externalMB: mb(after.external),
      arrayBuffersMB: mb(after.arrayBuffers),
    };
  });
}

/** One sink's counts and checks against what the exchanges sent (sets of exchange times). */
export function sinkReport(stats, certain, uncertain) {
  const { delivered, liquidationsInDigests: folded } = stats;
  const twice = [...delivered].filter(([, n]) => n > 1).length;
  const phantom = [...delivered.keys()].filter((time) => !certain.has(time) && !uncertain.has(time)).length;
  const missing = [...certain].filter((time) => !delivered.has(time)).length;
  const counts = {
    messages: stats.messages,
    alertsDelivered: delivered.size,
    uncertainDelivered: [...uncertain].filter((time) => delivered.has(time)).length,
    digests: stats.digests,
    liquidationsInDigests: folded,
    retries: stats.answered500 + stats.answered429,
    answered500: stats.answered500,
    answered429: stats.answered429,
    ...(stats.violations === undefined ? {} : { honoured429: stats.answered429 - stats.violations, retryAfterViolations: stats.violations }),
  };
  const checks = [
    { name: 'no liquidation delivered twice', ok: twice === 0, detail: `${twice} delivered more than once` },
    { name: 'nothing delivered that was not sent', ok: phantom === 0 && stats.unreadable === 0, detail: `${phantom} unknown, ${stats.unreadable} unreadable` },
    { name: 'every liquidation sent while up delivered alone or in a digest', ok: missing <= folded, detail: `${missing} not delivered alone, ${folded} in digests` },
    {
      name: 'digests do not count more than was sent',
      ok: delivered.size + folded <= certain.size + uncertain.size,
      detail: `${delivered.size} + ${folded} <= ${certain.size} + ${uncertain.size}`,
    },
  ];
  if (stats.violations !== undefined) checks.push({ name: "every 429's retry-after honoured", ok: stats.violations === 0, detail: `${stats.violations} requests came back too early` });
  return { counts, checks };
}

/** Per-sink counts and heap samples as a few aligned lines, after the JSON summary. */
export function reportLines(summary) {
  const pad = (value, width) => String(value).padStart(width);
  const lines = ['', 'sink       messages  alone  digests (liquidations)  retries (500/429)  429s honoured'];
  for (const [name, c] of Object.entries(summary.sinks)) {
    const honoured = c.honoured429 === undefined ? 'n/a' : `${c.honoured429}/${c.answered429}`;
    lines.push(`${name.padEnd(9)} ${pad(c.messages, 9)} ${pad(c.alertsDelivered, 6)} ${pad(c.digests, 8)} ${pad(`(${c.liquidationsInDigests})`, 15)} ${pad(c.retries, 8)} ${pad(`(${c.answered500}/${c.answered429})`, 9)} ${pad(honoured, 14)}`);
  }
  lines.push('', `RSS MB (/proc): ${summary.rss.map((r) => `${r.at} s ${r.rssMB}`).join(', ')}`);
  lines.push('', 'heap probe   RSS MB   heap total MB   heap after GC MB   external MB');
  for (const h of summary.heap) {
    lines.push(`${pad(h.at === 'drained' ? 'drained' : `${h.at} s`, 10)} ${pad(h.rssMB, 8)} ${pad(h.heapTotalMB, 15)} ${pad(h.heapAfterGcMB, 18)} ${pad(h.externalMB, 13)}`);
  }
  return lines;
}
