/**
 * `liqmon test-sink NAME`: render a sample alert with the sink's own renderer and send it once to every
 * destination of the sink, printing success or the exact error with its hint. No retries: the point is
 * to see what the server says.
 */
import type { Alert } from '../../alert.js';
import { isLiqmonError, UsageError } from '../../errors.js';
import { createFormatter } from '../../format/index.js';
import { sampleAlert, sampleLiquidation } from '../../sample.js';
import { openSession } from '../session.js';

export async function testSinkCommand(name: string, opts: { config?: string; logLevel?: string }): Promise<number> {
  const { config, logger, redactor } = await openSession(opts);
  const entry = config.sinks.find((s) => s.name === name);
  if (!entry) {
    const known = config.sinks.map((s) => s.name).join(', ') || 'none';
    throw new UsageError(`No sink named "${name}" in ${config.file ?? 'the config'}.`, { hint: `Sinks defined: ${known}.` });
  }
  if (entry.disabledReason) throw new UsageError(`Sink "${name}" is off: ${entry.disabledReason}.`);
  const abort = new AbortController();
  const instance = entry.definition.create(entry.options, {
    name,
    logger: logger.child({ sink: name }),
    signal: abort.signal,
    secrets: redactor,
    formatter: createFormatter(config.core.format),
  });
  const message = instance.render([testAlert()]);
  let failures = 0;
  for (const destination of instance.destinations ?? ['default']) {
    try {
      await instance.send(message, destination, abort.signal);
      process.stdout.write(`ok: sample alert sent through "${name}" to ${destination}\n`);
    } catch (error) {
      failures++;
      const text = isLiqmonError(error) ? `${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}` : String(error);
      process.stdout.write(redactor.redact(`failed: "${name}" to ${destination}: ${text}\n`));
    }
  }
  abort.abort();
  await instance.stop?.();
  return failures === 0 ? 0 : 1;
}

/** The sample `test-sink` sends: a $1.25M BTC long liquidated on Binance USD-M, now. */
function testAlert(now = Date.now()): Alert {
  return sampleAlert(sampleLiquidation({ id: `liqmon-test:${now}`, time: now, receivedAt: now, source: 'liqmon-test-sink' }), 'test-sink');
}
