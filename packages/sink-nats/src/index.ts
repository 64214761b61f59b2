/**
 * @liqmon/sink-nats: every normalized liquidation (and, with `alerts: true`, every alert) on a NATS
 * JetStream bus, so other programs and alerting instances of liqmon (`@liqmon/source-nats`) read them.
 * Load it with `use: nats` under `sinks:`. See README.md.
 */
import { defineSink } from '@liqmon/core';
import { createNatsSink } from './sink.js';
import { natsSinkOptions } from './options.js';

export default defineSink({
  name: 'nats',
  description: 'NATS JetStream: every liquidation routed to it on <prefix>.liq.<exchange>.<base>',
  options: natsSinkOptions,
  secrets: ['pass', 'token'],
  create: (options, context) => createNatsSink(options, context),
});

export { natsSinkOptions, type NatsSinkOptions, type NatsSinkOptionsInput } from './options.js';
export { liquidationJson, renderPublishes, type BusPublish, type NatsMessage } from './message.js';
export { createNatsSink, NATS_MAX_ALERTS_PER_MESSAGE } from './sink.js';
