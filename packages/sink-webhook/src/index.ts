/**
 * @liqmon/sink-webhook: each liqmon alert POSTed as JSON to a URL of yours, optionally signed with
 * HMAC-SHA256. Load it with `use: webhook` (a built-in alias) and give it `url`. See README.md for the
 * payload and how to verify a signature.
 */
import { defineSink } from '@liqmon/core';
import { webhookOptions } from './options.js';
import { createWebhookSink } from './sink.js';

export default defineSink({
  name: 'webhook',
  description: 'HTTP webhook: each alert POSTed as JSON, optionally signed with HMAC-SHA256',
  options: webhookOptions,
  secrets: ['url', 'secret'],
  create: (options, context) => createWebhookSink(options, context),
});

export { SECRET_HEADER_RE, webhookOptions, type WebhookOptions, type WebhookOptionsInput } from './options.js';
export { payloadOf, SIGNATURE_HEADER, signatureOf, TIMESTAMP_HEADER, type WebhookPayload } from './payload.js';
export { createWebhookSink, type WebhookSinkDeps } from './sink.js';
