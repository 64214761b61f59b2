/**
 * `--dry-run` and replay: sinks render as usual but print what they would send instead of sending.
 * The console sink is left alone: printing is what it does anyway.
 */
import type { PluginEntry } from '../config/types.js';
import type { SinkDefinition, SinkInstance } from '../plugin.js';
import { consoleSink } from '../sinks/console.js';

/** Where dry-run output goes; stdout by default. */
export interface TextOutput {
  write(text: string): unknown;
}

/** Wrap a sink so that `send` prints the rendered message under a `sink -> destination` heading. */
export function printInsteadOfSending(
  entry: PluginEntry<SinkDefinition>,
  instance: SinkInstance,
  output: TextOutput = process.stdout,
): SinkInstance {
  if (entry.definition === consoleSink) return instance;
  return {
    destinations: instance.destinations,
    limits: instance.limits,
    render: (alerts) => instance.render(alerts),
    measure: instance.measure?.bind(instance),
    async send(message, destination) {
      const text = typeof message === 'string' ? message : JSON.stringify(message, null, 2);
      output.write(`--- ${entry.name} -> ${destination} (not sent) ---\n${text}\n`);
    },
  };
}
