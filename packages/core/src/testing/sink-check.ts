/**
 * The sink conformance check: what every sink must do for core's outbox to deliver through it, tried
 * against a {@link FakeHttpReceiver}. It renders sample alerts (each kind, a hostile symbol) within the
 * sink's declared limits and sends them; it makes the receiver answer 4xx, 5xx, 429 with Retry-After,
 * a dropped connection and a closed port, and checks what the sink throws for each (the outbox acts on
 * it: stop, retry, wait); it aborts sends and checks they end at once; and it looks for secrets in every
 * error and log line. Plain async code, no test runner: `checkSink()` resolves to a printable report,
 * `sinkChecks()` gives the named checks one by one (to register with any runner).
 */
import { DeliveryError } from '../errors.js';
import type { SinkDefinition } from '../plugin.js';
import { FakeHttpReceiver, type ReceivedRequest, type ReceiverAnswer, type ReceiverReply } from './fake-http-receiver.js';
import { createSinkHarness, type SinkContextOptions, type SinkHarness } from './sink-context.js';
import { sinkSamples, type SinkSample } from './sink-samples.js';

/** What the check needs to know about a sink. */
export interface SinkCheckOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any plugin's options and message types
  definition: SinkDefinition<any, any>;
  /** Options as a user writes them, pointing the sink at `receiver.url` (no pacing, for speed). */
  options: (receiver: FakeHttpReceiver) => Record<string, unknown>;
  /** How the service answers, where a bare status is not what the sink reads. */
  replies?: {
    /** A delivered message. @default status 200, empty body */
    ok?: ReceiverReply;
    /**
     * A failed one: `status`, and for 429 the wait in seconds. The check adds the `Retry-After` header.
     * @default the bare status, empty body
     */
    failure?: (status: number, retryAfterSeconds: number | undefined) => ReceiverAnswer;
  };
  /** Statuses that must stop the sink (`fatal`). @default [401, 403, 404] */
  fatalStatuses?: readonly number[];
  /** Statuses that must be retried (`retryable`). @default [500, 502, 503] */
  retryableStatuses?: readonly number[];
  /** The service's own wire rules: problems with one request sent for `sample` ([] when fine). */
  inspect?: (request: ReceivedRequest, sample: string) => string[];
  /** Context of every instance (format options, name). */
  context?: SinkContextOptions;
  /** How soon a send must end after its signal aborts, ms. @default 1000 */
  abortWithinMs?: number;
  /** Longest any other send may take, ms. @default 5000 */
  timeoutMs?: number;
}

/** The outcome of one check. */
export interface SinkCheckResult {
  name: string;
  ok: boolean;
  /** Why it failed, one readable sentence each. */
  problems: string[];
}

/** One named check. `run` never throws: a failure is a result with problems. */
export interface SinkCheck {
  name: string;
  run(): Promise<SinkCheckResult>;
}

/** What {@link checkSink} resolves to. */
export interface SinkCheckReport {
  sink: string;
  ok: boolean;
  checks: SinkCheckResult[];
}

/** The `Retry-After` the 429 check asks for, in seconds. */
const RETRY_AFTER_S = 7;

/** Run every check in turn. */
export async function checkSink(options: SinkCheckOptions): Promise<SinkCheckReport> {
  const checks: SinkCheckResult[] = [];
  for (const check of sinkChecks(options)) checks.push(await check.run());
  return { sink: options.definition.name, ok: checks.every((c) => c.ok), checks };
}

/** The report as text: a summary line, then one line per check and one per problem. */
export function formatSinkReport(report: SinkCheckReport): string {
  const held = report.checks.filter((c) => c.ok).length;
  const lines = [`sink check of "${report.sink}": ${held} of ${report.checks.length} checks hold`];
  for (const check of report.checks) {
    lines.push(`  ${check.ok ? '✓' : '✗'} ${check.name}`);
    for (const problem of check.problems) lines.push(`      ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The checks, in the order {@link checkSink} runs them. */
export function sinkChecks(spec: SinkCheckOptions): SinkCheck[] {
  const fatal = spec.fatalStatuses ?? [401, 403, 404];
  const retryable = spec.retryableStatuses ?? [500, 502, 503];
  const failure = (status: number, wait?: number): ReceiverAnswer => ({
    status,
    ...spec.replies?.failure?.(status, wait),
    ...(wait === undefined ? {} : { retryAfter: wait }),
  });
  const check = (name: string, body: (t: Trial) => Promise<void>): SinkCheck => ({ name, run: () => runTrial(spec, name, body) });
  return [
    check('declares usable limits', async (t) => limitProblems(t)),
    ...sinkSamples().map((sample) => check(`renders and sends ${sample.name} within its limits`, (t) => renderAndSend(t, spec, sample))),
    ...fatal.map((status) =>
      check(`treats ${status} as fatal (stops the sink)`, async (t) => {
        t.receiver.answerNext(failure(status));
        t.expectFailure(await t.send(), (e) => (e?.kind === 'fatal' ? undefined : `expected a fatal DeliveryError, got ${describe(e)}`));
      }),
    ),
    ...retryable.map((status) =>
      check(`retries ${status} (retryable)`, async (t) => {
        t.receiver.answerNext(failure(status));
        t.expectFailure(await t.send(), (e) => (e?.kind === 'retryable' && !e.rateLimited ? undefined : `expected a retryable DeliveryError, got ${describe(e)}`));
      }),
    ),
    check(`waits the Retry-After of a 429 (rateLimited, retryAfterMs ${RETRY_AFTER_S * 1000})`, async (t) => {
      t.receiver.answerNext(failure(429, RETRY_AFTER_S));
      t.expectFailure(await t.send(), (e) => {
        const ms = e?.retryAfterMs;
        if (e?.kind !== 'retryable' || !e.rateLimited) return `expected a retryable DeliveryError with rateLimited: true, got ${describe(e)}`;
        return ms !== undefined && ms >= RETRY_AFTER_S * 1000 && ms <= RETRY_AFTER_S * 1000 + 1000 ? undefined : `expected retryAfterMs ${RETRY_AFTER_S * 1000} (Retry-After: ${RETRY_AFTER_S}), got ${String(ms)}`;
      });
    }),
    check('retries a dropped connection (network error)', async (t) => {
      t.receiver.answerNext({ drop: true });
      t.expectFailure(await t.send(), retryableNetworkError);
    }),
    check('retries when nothing listens (connection refused)', async (t) => {
      await t.receiver.close();
      t.expectFailure(await t.send(), retryableNetworkError);
    }),
    check('ends at once, with the abort reason, when sent with an aborted signal', async (t) => {
      const controller = new AbortController();
      controller.abort(new Error('liqmon sink check: aborted before the send'));
      t.expectAbort(await t.send({ signal: controller.signal, within: t.abortWithinMs }), controller.signal.reason);
    }),
    check('ends promptly, with the abort reason, when aborted while waiting for the server', async (t) => {
      t.receiver.answerAlways({ delayMs: 30_000 });
      const controller = new AbortController();
      const sent = t.send({ signal: controller.signal, within: t.abortWithinMs + t.timeoutMs });
      const first = await Promise.race([t.receiver.waitForRequests(1, t.timeoutMs).then(() => undefined), sent]);
      if (first) return t.problem(`send ended before any request reached the receiver: ${first.resolved ? 'it resolved' : describe(first.error)}`);
      const reason = new Error('liqmon sink check: aborted mid-request');
      const abortedAt = Date.now();
      controller.abort(reason);
      const outcome = await sent;
      if (outcome.settledAt - abortedAt > t.abortWithinMs) t.problem(`send ended ${outcome.settledAt - abortedAt} ms after the abort (at most ${t.abortWithinMs})`);
      t.expectAbort(outcome, reason);
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------
// One trial: a fresh receiver and instance per check
// ---------------------------------------------------------------------------------------------------

interface SendOutcome {
  error: unknown;
  resolved: boolean;
  /** True when it neither resolved nor rejected within its time. */
  hung: boolean;
  settledAt: number;
}

interface Trial {
  harness: SinkHarness;
  receiver: FakeHttpReceiver;
  destination: string;
  abortWithinMs: number;
  timeoutMs: number;
  problem(text: string): void;
  /** Render `alerts` (a liquidation by default) and send; never rejects. */
  send(options?: { signal?: AbortSignal; within?: number; message?: unknown }): Promise<SendOutcome>;
  expectFailure(outcome: SendOutcome, judge: (error: DeliveryError | undefined, raw: unknown) => string | undefined): void;
  expectAbort(outcome: SendOutcome, reason: unknown): void;
}

async function runTrial(spec: SinkCheckOptions, name: string, body: (t: Trial) => Promise<void>): Promise<SinkCheckResult> {
  const problems: string[] = [];
  const receiver = await FakeHttpReceiver.start(spec.replies?.ok ? { answer: spec.replies.ok } : {});
  const errors: unknown[] = [];
  let harness: SinkHarness | undefined;
  try {
    harness = createSinkHarness(spec.definition, spec.options(receiver), { logLevel: 'debug', ...spec.context });
    const h = harness;
    const timeoutMs = spec.timeoutMs ?? 5_000;
    const trial: Trial = {
      harness: h,
      receiver,
      destination: h.instance.destinations?.[0] ?? 'default',
      abortWithinMs: spec.abortWithinMs ?? 1_000,
      timeoutMs,
      problem: (text) => void problems.push(text),
      async send(options = {}) {
        const message = options.message ?? h.instance.render(sinkSamples()[0]?.alerts ?? []);
        const outcome = await settle(h.instance.send(message, trial.destination, options.signal ?? new AbortController().signal), options.within ?? timeoutMs);
        if (outcome.error !== undefined) errors.push(outcome.error);
        return outcome;
      },
      expectFailure(outcome, judge) {
        if (outcome.hung) return void problems.push(`send neither resolved nor threw within ${timeoutMs} ms`);
        if (outcome.resolved) return void problems.push('send resolved: the failure went unnoticed');
        const problem = judge(asDeliveryError(outcome.error), outcome.error);
        if (problem) problems.push(problem);
      },
      expectAbort(outcome, reason) {
        if (outcome.hung) return void problems.push(`send did not end within ${trial.abortWithinMs} ms of the abort`);
        if (outcome.resolved) return void problems.push('send resolved although its signal was aborted');
        if (!isAbort(outcome.error, reason)) problems.push(`expected the signal's reason (or an AbortError), got ${describe(outcome.error)}: the outbox would take it for a failure of the service`);
      },
    };
    await body(trial);
  } catch (error) {
    problems.push(`the check could not run: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    harness?.abort();
    await harness?.instance.stop?.().catch(() => undefined);
    await receiver.close();
  }
  if (harness) problems.push(...secretProblems(harness, errors));
  return { name, ok: problems.length === 0, problems };
}

function limitProblems(t: Trial): void {
  const { limits, measure } = t.harness.instance;
  const most = limits?.maxAlertsPerMessage;
  if (most !== undefined && !(Number.isInteger(most) && most >= 1)) t.problem(`limits.maxAlertsPerMessage must be a whole number of at least 1, got ${most}`);
  const size = limits?.maxMessageSize;
  if (size !== undefined && !(size > 0)) t.problem(`limits.maxMessageSize must be positive, got ${size}`);
  if (size !== undefined && !measure) t.problem('limits.maxMessageSize is set but the sink has no measure(): core cannot keep merged messages under it');
}

async function renderAndSend(t: Trial, spec: SinkCheckOptions, sample: SinkSample): Promise<void> {
  const { instance } = t.harness;
  let message: unknown;
  try {
    message = instance.render(sample.alerts);
  } catch (error) {
    return t.problem(`render threw: ${describe(error)}`);
  }
  const max = instance.limits?.maxMessageSize;
  const size = instance.measure?.(message);
  if (max !== undefined && size !== undefined && !(size <= max)) t.problem(`the message measures ${size}, over the declared maxMessageSize ${max}`);
  const outcome = await t.send({ message });
  if (outcome.hung) return t.problem(`send neither resolved nor threw within ${t.timeoutMs} ms`);
  if (!outcome.resolved) return t.problem(`send failed against a receiver answering success: ${describe(outcome.error)}`);
  if (t.receiver.requests.length === 0) return t.problem('send resolved but no request reached the receiver');
  for (const request of t.receiver.requests) for (const problem of spec.inspect?.(request, sample.name) ?? []) t.problem(problem);
}

function retryableNetworkError(error: DeliveryError | undefined, raw: unknown): string | undefined {
  // Core retries anything that is not a DeliveryError; a DeliveryError must say retryable.
  if (error === undefined) return raw instanceof Error ? undefined : `expected an Error, got ${describe(raw)}`;
  return error.kind === 'retryable' ? undefined : `expected a retryable DeliveryError, got ${describe(error)}`;
}

function secretProblems(harness: SinkHarness, errors: unknown[]): string[] {
  const secrets = harness.secrets.filter((s) => s.length >= 4);
  const texts = [...errors.map((e) => (e instanceof Error ? `${e.message}\n${(e as { hint?: unknown }).hint ?? ''}` : String(e))), harness.logText()];
  const leaked = secrets.filter((secret) => texts.some((text) => text.includes(secret)));
  return leaked.length > 0 ? [`${leaked.length} registered secret(s) appear in an error message or log line (core redacts logs, but not what other code prints)`] : [];
}

async function settle(promise: Promise<void>, within: number): Promise<SendOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), within)));
  try {
    const result = await Promise.race([promise.then(() => 'resolved' as const), hung]);
    return { error: undefined, resolved: result === 'resolved', hung: result === 'hung', settledAt: Date.now() };
  } catch (error) {
    return { error: error ?? new Error('rejected with nothing'), resolved: false, hung: false, settledAt: Date.now() };
  } finally {
    clearTimeout(timer);
  }
}

/** A DeliveryError, also from another copy of core (recognised by its code, as the outbox does). */
function asDeliveryError(error: unknown): DeliveryError | undefined {
  if (error instanceof DeliveryError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'LIQMON_DELIVERY_FAILED' ? (error as DeliveryError) : undefined;
}

function isAbort(error: unknown, reason: unknown): boolean {
  if (error === reason) return true;
  if (asDeliveryError(error)) return false;
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'AbortError' || (error as { cause?: unknown } | null)?.cause === reason;
}

function describe(error: unknown): string {
  const delivery = asDeliveryError(error);
  if (delivery) {
    const extras = [delivery.status === undefined ? '' : `status ${delivery.status}`, delivery.rateLimited ? 'rateLimited' : '', delivery.retryAfterMs === undefined ? '' : `retryAfterMs ${delivery.retryAfterMs}`].filter(Boolean);
    return `${delivery.kind} DeliveryError "${delivery.message}"${extras.length ? ` (${extras.join(', ')})` : ''}`;
  }
  if (error === undefined) return 'nothing';
  return error instanceof Error ? `${error.name} "${error.message}"` : JSON.stringify(error);
}
