/**
 * The fake sink of the end-to-end benchmark, loaded by path: it records arrivals and nothing more, as a
 * fake chat service stamps the requests it receives.
 *
 * Each message it is handed becomes one record: `@<arrival>` and then the exchange time `T` of every
 * liquidation in it, separated by spaces (a digest, which keeps no events, adds `digest <count>`).
 * `<arrival>` is read at the moment liqmon hands over the message, in milliseconds of the system's
 * monotonic clock (`process.hrtime`, CLOCK_MONOTONIC on Linux), which the benchmark process reads too:
 * the two processes' stamps compare directly.
 *
 * Records go to stdout, one line each, in one write every {@link FLUSH_MS} ms rather than one write
 * per message. On this 2-vCPU VM a write to a pipe whose reader then wakes up costs ~60 µs, and a burst
 * of 20,000 liquidations makes ~300 messages: one write each cost about as much as a fifth of liqmon's
 * own work per liquidation, and measured the pipe to the benchmark rather than liqmon
 * (docs/performance.md, "Fourth pass", item 1). The stamps are taken at arrival, so the flush delay
 * changes no figure; the console sink (`E2E_SINK=console`) still writes every alert as it comes.
 */
import { DeliveryError, defineSink, epochMsText, z } from '@liqmon/core';
import { monotonicMs } from '../lib/clock.mjs';

/** How long records wait before they are written out together. */
const FLUSH_MS = 20;

/** One message's record, built in one loop: this runs inside liqmon, so it should cost as little as a sink can. */
function record(alerts) {
  let text = '';
  for (const alert of alerts) {
    if (alert.kind === 'digest') text += ` digest ${alert.count}`;
    // epochMsText: String(time) without V8's slow path for 13-digit numbers (~0.18 µs each here).
    else for (const event of alert.events) text += ` ${epochMsText(event.time)}`;
  }
  return text;
}

export default defineSink({
  name: 'arrivals-sink',
  description: 'Benchmark sink: records the exchange times of the liquidations it is handed and when, a line per message',
  options: z.object({ maxAlertsPerMessage: z.number().int().positive().default(100) }),
  create(options) {
    let pending = '';
    let timer;
    let failure;
    const flush = () => {
      timer = undefined;
      const text = pending;
      pending = '';
      if (text) process.stdout.write(text, (error) => (error ? (failure = error) : undefined));
    };
    return {
      limits: { maxAlertsPerMessage: options.maxAlertsPerMessage },
      render: record,
      async send(message) {
        if (failure) throw new DeliveryError('fatal', `stdout closed: ${failure.message}`);
        pending += `@${monotonicMs()}${message}\n`;
        timer ??= setTimeout(flush, FLUSH_MS);
      },
      stop() {
        clearTimeout(timer);
        flush();
      },
    };
  },
});
