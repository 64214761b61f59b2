/** The sink check: an example HTTP sink passes it, and each kind of broken sink fails the named check, saying why. */
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/errors.js';
import type { SinkDefinition, SinkInstance } from '../../src/plugin.js';
import { checkSink, formatSinkReport, sinkChecks, type SinkCheckOptions, type SinkCheckReport } from '../../src/testing/index.js';
import example from './example-sink.js';

const spec: SinkCheckOptions = { definition: example, options: (receiver) => ({ url: receiver.url }) };

/** The example with `change` applied to each instance it creates. */
function broken(change: (instance: SinkInstance<string>) => Partial<SinkInstance<string>>): SinkDefinition {
  const create: typeof example.create = (options, context) => {
    const instance = example.create(options, context);
    return { ...instance, ...change(instance) };
  };
  return { ...example, create } as SinkDefinition;
}

const failed = (report: SinkCheckReport) => Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.name, c.problems]));

describe('the sink check on a sink that does everything right', () => {
  for (const check of sinkChecks(spec)) {
    it(check.name, async () => {
      const result = await check.run();
      expect(result.problems).toEqual([]);
    });
  }

  it('prints a report with one line per check', async () => {
    const text = formatSinkReport(await checkSink(spec));
    expect(text.split('\n')[0]).toBe('sink check of "example-http": 18 of 18 checks hold');
    expect(text).toContain('  ✓ renders and sends a summary of hostile exchanges and bases within its limits\n');
    expect(text).toContain('  ✓ treats 401 as fatal (stops the sink)\n');
    expect(text).toContain('  ✓ renders and sends a hostile symbol within its limits\n');
  });
});

describe('the sink check on broken sinks', () => {
  it('names the statuses a sink retries that should stop it, and what it threw', async () => {
    const report = await checkSink({ ...spec, definition: broken((i) => ({ send: (m, d, s) => i.send(m, d, s).catch(() => { throw new DeliveryError('retryable', 'something failed'); }) })) });
    expect(report.ok).toBe(false);
    expect(failed(report)).toMatchObject({
      'treats 401 as fatal (stops the sink)': ['expected a fatal DeliveryError, got retryable DeliveryError "something failed"'],
      'waits the Retry-After of a 429 (rateLimited, retryAfterMs 7000)': ['expected a retryable DeliveryError with rateLimited: true, got retryable DeliveryError "something failed"'],
    });
    expect(formatSinkReport(report)).toContain('  ✗ treats 403 as fatal (stops the sink)\n      expected a fatal DeliveryError, got retryable DeliveryError "something failed"\n');
  });

  it('fails a sink that ignores its signal, and one that throws its own error on abort', async () => {
    const deaf = await checkSink({ ...spec, timeoutMs: 500, abortWithinMs: 200, definition: broken((i) => ({ send: (m, d) => i.send(m, d, new AbortController().signal) })) });
    expect(Object.keys(failed(deaf))).toEqual([
      'ends at once, with the abort reason, when sent with an aborted signal',
      'ends promptly, with the abort reason, when aborted while waiting for the server',
    ]);
    const wrong = await checkSink({ ...spec, definition: broken((i) => ({ send: (m, d, s) => i.send(m, d, s).catch(() => { throw new DeliveryError('fatal', 'cancelled'); }) })) });
    expect(failed(wrong)['ends at once, with the abort reason, when sent with an aborted signal']).toEqual([
      'expected the signal\'s reason (or an AbortError), got fatal DeliveryError "cancelled": the outbox would take it for a failure of the service',
    ]);
  });

  it('fails a message over the declared size, and a size limit without measure()', async () => {
    const report = await checkSink({ ...spec, definition: broken(() => ({ limits: { maxMessageSize: 100 }, measure: undefined })) });
    expect(failed(report)['declares usable limits']).toEqual(['limits.maxMessageSize is set but the sink has no measure(): core cannot keep merged messages under it']);
    const tight = await checkSink({ ...spec, definition: broken(() => ({ limits: { maxMessageSize: 100 } })) });
    expect(failed(tight)['renders and sends a cascade of 50 liquidations within its limits']?.[0]).toMatch(/^the message measures \d+, over the declared maxMessageSize 100$/);
  });

  it('fails a sink whose errors quote its secret, and a render that throws', async () => {
    const leaky = await checkSink({ ...spec, definition: broken(() => ({ send: () => Promise.reject(new Error('POST with token example-secret-token failed')) })) });
    expect(failed(leaky)['retries 500 (retryable)']).toContain('1 registered secret(s) appear in an error message or log line (core redacts logs, but not what other code prints)');
    const throwing = await checkSink({ ...spec, definition: broken(() => ({ render: () => { throw new TypeError('no symbol'); } })) });
    expect(failed(throwing)['renders and sends a liquidation within its limits']).toEqual(['render threw: TypeError "no symbol"']);
  });

  it('reports options the sink refuses instead of throwing', async () => {
    const report = await checkSink({ ...spec, options: () => ({ nope: 1 }) });
    expect(report.checks[0]?.problems[0]).toMatch(/^the check could not run: Invalid options for sink "example-http"/);
  });
});
