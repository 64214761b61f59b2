/**
 * @liqmon/sink-ntfy: liqmon alerts as push notifications through ntfy (ntfy.sh or a server of your
 * own), with a priority by size. Load it with `use: ntfy` (a built-in alias) and give it `topic`.
 * See README.md.
 */
import { defineSink } from '@liqmon/core';
import { ntfyOptions } from './options.js';
import { createNtfySink } from './sink.js';

export default defineSink({
  name: 'ntfy',
  description: 'ntfy push notifications (ntfy.sh or self-hosted), priority by size',
  options: ntfyOptions,
  // The topic is kept out of logs as part of the publish URL (see sink.ts), not as a bare word: a topic
  // such as `alerts` would otherwise be redacted from every log line that says "alerts".
  secrets: ['token'],
  create: (options, context) => createNtfySink(options, context),
});

export { ntfyOptions, TOPIC_RE, type NtfyOptions, type NtfyOptionsInput } from './options.js';
export { alertUsd, clipBytes, headerValue, NTFY_MAX_ALERTS_PER_MESSAGE, NTFY_MESSAGE_LIMIT, priorityOf, renderNtfy, type NtfyMessage, type NtfyPriority } from './message.js';
export { createNtfySink } from './sink.js';
