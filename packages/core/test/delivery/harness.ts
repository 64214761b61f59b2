/** A scripted sink and a Delivery around it, for delivery tests on fake timers. */
import type { Alert } from '../../src/alert.js';
import { deliverySchema } from '../../src/config/schema.js';
import { Delivery, type AlertJournal } from '../../src/delivery/index.js';
import type { SinkInstance, SinkLimits } from '../../src/plugin.js';
import { createMemoryLogger } from '../../src/testing/memory-logger.js';
import type { z } from 'zod';

/** What a scripted sink answers to its n-th send (0-based): nothing (success), an error to throw, or a promise. */
export type Script = (call: number, message: string[], destination: string, signal: AbortSignal) => void | Error | Promise<void>;

/** A sink whose messages are the ids of the alerts in them; `delivered` lists the messages that got through. */
export function scriptedSink(script: Script = () => {}, options: { limits?: SinkLimits; destinations?: string[]; measure?: boolean } = {}) {
  const delivered: { destination: string; message: string[] }[] = [];
  const calls: string[][] = [];
  let stopped = 0;
  const instance: SinkInstance<string[]> = {
    ...(options.destinations ? { destinations: options.destinations } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    render: (alerts) => alerts.map(idOf),
    ...(options.measure ? { measure: (message: string[]) => message.join('\n').length } : {}),
    async send(message, destination, signal) {
      const call = calls.length;
      calls.push(message);
      const outcome = script(call, message, destination, signal);
      if (outcome instanceof Error) throw outcome;
      await outcome;
      delivered.push({ destination, message });
    },
    async stop() {
      stopped++;
    },
  };
  return { instance, delivered, calls, stopped: () => stopped };
}

/** The id a scripted sink shows for an alert. */
export function idOf(alert: Alert): string {
  if (alert.kind === 'digest') return `digest:${alert.alerts}`;
  return alert.events[0]?.id ?? '?';
}

export function delivery(
  sinks: { name: string; instance: SinkInstance }[],
  options: z.input<typeof deliverySchema> = {},
  journal?: AlertJournal,
) {
  const { logger, lines } = createMemoryLogger('debug');
  const d = new Delivery({
    sinks: sinks.map((sink) => ({ ...sink, logger: logger.child({ sink: sink.name }) })),
    options: deliverySchema.parse(options),
    logger,
    random: () => 1, // no jitter: waits are exactly the backoff
    ...(journal ? { journal } : {}),
  });
  return { delivery: d, lines };
}
