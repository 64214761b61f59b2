/**
 * A server that echoes the webhook URL back (upper-cased, as an audit found) must not get it into a log
 * line, an error or a shortened display: core's Redactor, fed the secrets the sink registers, catches it.
 */
import { DeliveryError, Redactor } from '@liqmon/core';
import { FakeDiscord } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { alert, errorText, makeSink, sendError } from './helpers.js';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Discord: a server echoing the webhook URL', () => {
  it('an upper-cased echo in the error is redacted, also where the text is cut for display', async () => {
    fake = await FakeDiscord.start();
    const url = fake.webhookUrl();
    const token = FakeDiscord.DEFAULT_WEBHOOK.token;
    fake.setFailure({ status: 404, message: `Unknown Webhook: POST ${url.toUpperCase()}?WAIT=TRUE` });
    const { sink, secrets } = makeSink({ webhookUrl: url });
    const error = await sendError(sink, sink.render([alert(0)]));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.message.toLowerCase()).toContain(token.toLowerCase()); // the echo is really there
    const redactor = new Redactor();
    for (const secret of secrets) redactor.add(secret);
    const shown = [redactor.redact(errorText(error)), ...[40, 60, 80, 100, 120].map((max) => redactor.cut(error.message, max))];
    for (const text of shown) expect(text.toLowerCase()).not.toContain(token.toLowerCase().slice(0, 8));
    expect(redactor.redact(error.message)).toContain('Unknown Webhook: POST [redacted]');
  });
});
