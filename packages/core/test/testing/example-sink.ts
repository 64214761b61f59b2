/**
 * A small HTTP sink built the way a plugin author builds one: core's formatter, `sendHttp` and
 * `httpFailure`. The sink check must pass it; its broken variants must fail named checks.
 */
import { z } from 'zod';
import { httpFailure, sendHttp } from '../../src/delivery/index.js';
import { defineSink } from '../../src/plugin.js';

export default defineSink({
  name: 'example-http',
  options: z.object({ url: z.string(), token: z.string().default('example-secret-token') }),
  secrets: ['token'],
  create: (options, context) => ({
    limits: { maxMessageSize: 4000, maxAlertsPerMessage: 10 },
    render: (alerts) => context.formatter.plain(alerts),
    measure: (text) => text.length,
    async send(text, _destination, signal) {
      const service = 'the example receiver';
      const answer = await sendHttp({ url: `${options.url}/post`, body: text, headers: { authorization: `Bearer ${options.token}` }, signal, service });
      if (!answer.ok) throw httpFailure(answer, { service });
    },
  }),
});
