/**
 * `liqmon test-sink NAME`: render a sample alert with the sink's own renderer and send it once to every
 * destination of the sink, printing success or the exact error with its hint. No retries: the point is
 * to see what the server says.
 */
import { type Alert, createFormatter, isLiqmonError, type SinkInstance, UsageError } from '@liqmon/core';
import { sampleAlert, sampleLiquidation } from '@liqmon/core/runtime';
import { printOut } from '../output.js';
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
  let instance: SinkInstance;
  try {
    instance = entry.definition.create(entry.options, {
      name,
      logger: logger.child({ sink: name }),
      signal: abort.signal,
      secrets: redactor,
      formatter: createFormatter(config.core.format),
    });
  } catch (error) {
    // A plugin's own error may quote its options, secrets included: printOut redacts them.
    printOut(`failed: sink "${name}" (${entry.use}) could not be created: ${errorText(error)}\n`);
    return 1;
  }
  const message = instance.render([testAlert()]);
  let failures = 0;
  for (const destination of instance.destinations ?? ['default']) {
    try {
      await instance.send(message, destination, abort.signal);
      printOut(`ok: sample alert sent through "${name}" to ${destination}\n`);
    } catch (error) {
      failures++;
      printOut(`failed: "${name}" to ${destination}: ${errorText(error)}\n`);
    }
  }
  abort.abort();
  await instance.stop?.();
  return failures === 0 ? 0 : 1;
}

/** An error as the user reads it: the message and, for liqmon errors, the hint. */
function errorText(error: unknown): string {
  return isLiqmonError(error) ? `${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}` : String(error);
}

/** The sample `test-sink` sends: a $1.25M BTC long liquidated on Binance USD-M, now. */
function testAlert(now = Date.now()): Alert {
  return sampleAlert(sampleLiquidation({ id: `liqmon-test:${now}`, time: now, receivedAt: now, source: 'liqmon-test-sink' }), 'test-sink');
}
