/**
 * `--dry-run` and replay: sinks render as usual but print what they would send instead of sending,
 * each message on stdout as the outbox hands it over. By default the preview is the text as the
 * reader will see it (no `$57\.6K` escapes, no embed JSON); `--raw` prints the rendered markup.
 * The console sink is left alone: printing is what it does anyway.
 */
import type { Alert } from '../alert.js';
import type { PluginEntry } from '../config/types.js';
import type { Formatter } from '../format/index.js';
import type { SinkDefinition, SinkInstance } from '../plugin.js';
import { consoleSink } from '../sinks/console.js';
import { readerText } from './reader-text.js';

/** Where dry-run output goes; stdout by default. */
export interface TextOutput {
  write(text: string): unknown;
}

/** How previews are printed. */
export interface PreviewOptions {
  /** Core's formatter, as configured by `format:` (the reader's text is rendered with it). */
  formatter: Formatter;
  /** Print the rendered message (markup, or JSON for structured messages) instead of the reader's text. @default false */
  raw?: boolean;
  /** @default process.stdout */
  output?: TextOutput;
}

/** A message of the wrapped sink: what the sink rendered, and the alerts it was rendered from. */
interface Preview {
  readonly rendered: unknown;
  readonly alerts: readonly Alert[];
}

/** Wrap a sink so that `send` prints the message under a `sink -> destination (not sent)` heading. */
export function printInsteadOfSending(entry: PluginEntry<SinkDefinition>, instance: SinkInstance, options: PreviewOptions): SinkInstance {
  if (entry.definition === consoleSink) return instance;
  const output = options.output ?? process.stdout;
  const measure = instance.measure?.bind(instance);
  const preview: SinkInstance<Preview> = {
    destinations: instance.destinations,
    limits: instance.limits,
    // The sink's own render still runs (its limits and merging apply as live); the alerts are kept
    // beside it so the preview can show the reader's text.
    render: (alerts) => ({ rendered: instance.render(alerts), alerts }),
    measure: measure && ((message) => measure(message.rendered)),
    async send(message, destination) {
      const text = options.raw ? markupText(message.rendered) : readerText(message.rendered, message.alerts, options.formatter);
      output.write(`--- ${entry.name} -> ${destination} (not sent) ---\n${text}\n`);
    },
  };
  return preview as SinkInstance;
}

/** The rendered message as the sink would post it: text as is, structured messages as JSON. */
function markupText(rendered: unknown): string {
  return typeof rendered === 'string' ? rendered : JSON.stringify(rendered, null, 2);
}
