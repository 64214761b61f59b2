/** Options of the NATS source, as users write them under `sources.<name>` (besides `use`). */
import { z } from '@liqmon/core';
import { busOptionFields, credentialProblems } from '@liqmon/sink-nats/bus';

/** JetStream durable consumer names: no `.`, `*`, `>` or white space. */
export const CONSUMER_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

export const natsSourceOptions = z
  .object({
    ...busOptionFields,
    /**
     * Name of the durable consumer: JetStream remembers what it acknowledged, so a restarted instance
     * resumes there. One name per alerting instance (two instances that share a name split the events
     * between them). Required.
     */
    consumer: z
      .string()
      .regex(CONSUMER_NAME_RE, { error: 'must be a consumer name: letters, digits, _ and - only, at most 64' })
      .describe('Durable consumer name, one per alerting instance (required)'),
    /**
     * Where a consumer that does not exist yet starts: `new` (liquidations published from now on) or
     * `all` (everything the stream still holds). An existing consumer resumes where it stopped. @default new
     */
    startAt: z.enum(['new', 'all']).default('new').describe('Where a new consumer starts: new (default) or all the stream holds'),
    /** Most liquidations handed over but not yet acknowledged. @default 1000 */
    maxAckPending: z.number().int().min(1).max(100_000).default(1000).describe('Most unacknowledged messages in flight (default 1000)'),
  })
  .superRefine((options, context) => {
    for (const problem of credentialProblems(options)) context.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

/** Options as written in the config. */
export type NatsSourceOptionsInput = z.input<typeof natsSourceOptions>;
/** Options after validation. */
export type NatsSourceOptions = z.output<typeof natsSourceOptions>;
