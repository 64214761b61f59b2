/**
 * A tiny sink plugin for the benchmarks and the soak, loaded by path (`use: /abs/path/bench-sink.mjs`).
 *
 * - Without `url` it is a null sink: it only counts, and every `progressEvery` alerts prints
 *   `{"progress":N}` on stdout so that a driver can pace itself on what was processed.
 * - With `url` it POSTs each message as JSON to a local fake chat service and maps answers the way the
 *   real Telegram/Discord sinks do: 2xx delivered; 429 retryable with the `retry-after` header (seconds);
 *   5xx and network errors retryable; other 4xx rejected.
 * - With the environment variable LIQMON_BENCH_PROBE=1, SIGUSR2 makes it print
 *   `BENCH_MEMORY {...}` (process.memoryUsage(), before and after a GC when node runs with --expose-gc)
 *   on stderr: the memory benchmark reads the child's own figures that way.
 *
 * A message is `{ alerts: [{ kind, rule, ids, count }] }`: the ids of the liquidations behind each alert
 * (for digests, which keep tallies only, `count` says how many liquidations they fold).
 */
import { DeliveryError, defineSink, httpRequest, z } from '@liqmon/core';

let alertsSeen = 0;

if (process.env.LIQMON_BENCH_PROBE === '1') {
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage();
    globalThis.gc?.();
    const after = process.memoryUsage();
    process.stderr.write(`BENCH_MEMORY ${JSON.stringify({ alerts: alertsSeen, before, after, gc: typeof globalThis.gc === 'function' })}\n`);
  });
}

const summary = (alert) => ({
  kind: alert.kind,
  rule: alert.rule,
  ids: alert.events.map((event) => event.id),
  count: alert.kind === 'liquidation' ? alert.events.length : alert.count,
});

export default defineSink({
  name: 'bench-sink',
  description: 'Benchmark sink: null (counts) or a POST to a local fake chat service',
  options: z.object({
    url: z.string().optional(),
    maxAlertsPerMessage: z.number().int().positive().default(20),
    progressEvery: z.number().int().nonnegative().default(0),
  }),
  create(options) {
    return {
      limits: { maxAlertsPerMessage: options.maxAlertsPerMessage },
      render: (alerts) => (options.url ? JSON.stringify({ alerts: alerts.map(summary) }) : alerts.length),
      async send(message, _destination, signal) {
        if (!options.url) {
          const before = alertsSeen;
          alertsSeen += message;
          const every = options.progressEvery;
          if (every > 0 && Math.floor(alertsSeen / every) > Math.floor(before / every)) process.stdout.write(`{"progress":${alertsSeen}}\n`);
          return;
        }
        let response;
        try {
          response = await httpRequest(options.url, { method: 'POST', body: message, headers: { 'content-type': 'application/json' }, signal });
        } catch (error) {
          throw new DeliveryError('retryable', `bench-sink: POST failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        if (response.ok) return;
        const status = response.status;
        if (status === 429) {
          const seconds = Number(response.headers.get('retry-after'));
          throw new DeliveryError('retryable', 'bench-sink: 429 Too Many Requests', { status, retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : undefined });
        }
        if (status >= 500) throw new DeliveryError('retryable', `bench-sink: server error ${status}`, { status });
        throw new DeliveryError('rejected', `bench-sink: refused with ${status}`, { status });
      },
    };
  },
});
