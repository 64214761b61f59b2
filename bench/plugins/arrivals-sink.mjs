/**
 * The fake sink of the end-to-end benchmark, loaded by path: it records arrivals and nothing more.
 * Each message it is handed becomes one stdout line with the exchange time `T` of every liquidation in
 * it, separated by spaces (a digest, which keeps no events, prints `digest <count>`). The benchmark
 * reads the lines and stamps their arrival, as a fake chat service would stamp a request.
 *
 * Unlike the console sink (`format: json`), it does not serialize whole events, so the figure is the
 * cost of liqmon's pipeline rather than of one sink's output format (docs/performance.md reports both).
 */
import { DeliveryError, defineSink, z } from '@liqmon/core';

/** One message's line, built in one loop: this runs inside liqmon, so it should cost as little as a sink can. */
function line(alerts) {
  let text = '';
  for (const alert of alerts) {
    if (alert.kind === 'digest') text += `${text ? ' ' : ''}digest ${alert.count}`;
    else for (const event of alert.events) text += `${text ? ' ' : ''}${event.time}`;
  }
  return text;
}

export default defineSink({
  name: 'arrivals-sink',
  description: 'Benchmark sink: prints the exchange times of the liquidations it is handed, a line per message',
  options: z.object({ maxAlertsPerMessage: z.number().int().positive().default(100) }),
  create(options) {
    return {
      limits: { maxAlertsPerMessage: options.maxAlertsPerMessage },
      render: line,
      send(message) {
        return new Promise((resolve, reject) => {
          process.stdout.write(`${message}\n`, (error) => (error ? reject(new DeliveryError('fatal', `stdout closed: ${error.message}`)) : resolve()));
        });
      },
    };
  },
});
