/**
 * @liqmon/source-nats: liquidations from a NATS JetStream bus (what `@liqmon/sink-nats` publishes), so
 * alerting instances of liqmon run apart from the ingest instances that hold the exchange connections.
 * Load it with `use: nats` under `sources:`. See README.md.
 */
import { defineSource } from '@liqmon/core';
import { natsSourceOptions } from './options.js';
import { createNatsSource } from './source.js';

export default defineSource({
  name: 'nats',
  description: 'NATS JetStream: liquidations an ingest instance publishes, through a durable consumer',
  options: natsSourceOptions,
  secrets: ['pass', 'token'],
  create: (options, context) => createNatsSource(options, context),
});

export { CONSUMER_NAME_RE, natsSourceOptions, type NatsSourceOptions, type NatsSourceOptionsInput } from './options.js';
export { decodeBusMessage } from './decode.js';
export { BUS_CHANNEL, createNatsSource } from './source.js';
