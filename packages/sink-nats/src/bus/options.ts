/**
 * The options every NATS plugin of liqmon takes to reach the bus: servers, credentials, the subject
 * prefix and the stream. `user`/`pass`/`token` are secrets (registered for redaction by the plugins);
 * write them as `${ENV}` references in the config.
 */
import { duration, z } from '@liqmon/core';
import { SUBJECT_PREFIX_RE } from './subjects.js';

/** JetStream stream names: no `.`, `*`, `>` or white space (https://docs.nats.io/nats-concepts/jetstream/streams). */
export const STREAM_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

const natsUrl = z
  .string()
  .regex(/^(nats|tls|ws|wss):\/\/[^\s]+$/, { error: 'must be a NATS server URL such as nats://127.0.0.1:4222 or tls://nats.example.com:4222' });

/** Fields of the bus connection, shared by the sink's and the source's options schemas. */
export const busOptionFields = {
  /** NATS servers to connect to (one URL or a list; the client fails over between them). @default nats://127.0.0.1:4222 */
  servers: z
    .union([natsUrl, z.array(natsUrl).min(1)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .default(['nats://127.0.0.1:4222'])
    .describe('NATS server URL or list of URLs (default nats://127.0.0.1:4222)'),
  /** First subject tokens: liquidations go to `<prefix>.liq.<exchange>.<base>`. @default liqmon */
  subjectPrefix: z
    .string()
    .regex(SUBJECT_PREFIX_RE, { error: 'must be subject tokens of letters, digits, _ and - joined by dots, e.g. liqmon or prod.liqmon' })
    .default('liqmon')
    .describe('Subject prefix (default liqmon): subjects are <prefix>.liq.<exchange>.<base>'),
  /** JetStream stream holding `<prefix>.>`; created when absent. @default LIQMON */
  stream: z
    .string()
    .regex(STREAM_NAME_RE, { error: 'must be a stream name: letters, digits, _ and - only, at most 64' })
    .default('LIQMON')
    .describe('JetStream stream name (default LIQMON); created when absent'),
  /** How long the stream keeps messages when liqmon creates it. @default 24h */
  maxAge: duration().prefault('24h').describe('How long a stream liqmon creates keeps messages (default 24h)'),
  /** User name (with `pass`). @default none */
  user: z.string().min(1).optional().describe('User name (with pass)'),
  /** Password (with `user`); a secret. @default none */
  pass: z.string().min(1).optional().describe('Password (with user); a secret'),
  /** Auth token (instead of user/pass); a secret. @default none */
  token: z.string().min(1).optional().describe('Auth token (instead of user/pass); a secret'),
  /** Most time to wait for a server's answer (connect, publish ack, stream lookups). @default 10s */
  timeout: duration().prefault('10s').describe('Time to wait for an answer from NATS (default 10s)'),
};

/** The connection options after validation. */
export interface BusOptions {
  servers: string[];
  subjectPrefix: string;
  stream: string;
  maxAge: number;
  user?: string | undefined;
  pass?: string | undefined;
  token?: string | undefined;
  timeout: number;
}

/** The option keys that are secrets. */
export const BUS_SECRETS = ['pass', 'token'] as const;

/** Problems of the credentials, for a `superRefine`: `user` and `pass` go together; `token` excludes them. */
export function credentialProblems(options: Pick<BusOptions, 'user' | 'pass' | 'token'>): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if ((options.user === undefined) !== (options.pass === undefined)) {
    problems.push({ path: options.user === undefined ? 'user' : 'pass', message: 'give both user and pass, or neither' });
  }
  if (options.token !== undefined && options.user !== undefined) problems.push({ path: 'token', message: 'give either token or user/pass, not both' });
  return problems;
}
