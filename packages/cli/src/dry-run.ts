/**
 * `--dry-run` and replay: sinks render as usual but print what they would send instead of sending,
 * each message on stdout as the outbox hands it over. By default the preview is the text as the
 * reader will see it (the sink's `preview`, e.g. `$57.6K` rather than MarkdownV2's `$57\.6K`, a
 * Discord body laid out rather than its JSON); `--raw` prints the rendered markup. A sink without
 * `preview` shows its rendered message either way. The console sink is left alone: printing is what
 * it does anyway.
 */
import { consoleSink, type PluginEntry } from '@liqmon/core/runtime';
import type { SinkDefinition, SinkInstance } from '@liqmon/core';
import { printOut } from './output.js';

/** Where dry-run output goes; stdout by default. */
export interface TextOutput {
  write(text: string): unknown;
}

/** How previews are printed. */
export interface PreviewOptions {
  /** Print the rendered message (markup, or JSON for structured messages) instead of the reader's text. @default false */
  raw?: boolean;
  /** @default standard output, secrets redacted */
  output?: TextOutput;
}

/** Wrap a sink so that `send` prints the message under a `sink -> destination (not sent)` heading. */
export function printInsteadOfSending(entry: PluginEntry<SinkDefinition>, instance: SinkInstance, options: PreviewOptions = {}): SinkInstance {
  if (entry.definition === consoleSink) return instance;
  const output = options.output ?? { write: printOut };
  const readable = options.raw ? undefined : instance.preview?.bind(instance);
  return {
    destinations: instance.destinations,
    limits: instance.limits,
    render: (alerts) => instance.render(alerts),
    measure: instance.measure?.bind(instance),
    async send(message, destination) {
      const text = readable ? readable(message) : markupText(message);
      output.write(`--- ${entry.name} -> ${destination} (not sent) ---\n${text}\n`);
    },
  };
}

/** The rendered message as the sink would post it: text as is, structured messages as JSON. */
function markupText(rendered: unknown): string {
  return typeof rendered === 'string' ? rendered : JSON.stringify(rendered, null, 2);
}
