/**
 * A server that echoes the bot token back (upper-cased, as an audit found) must not get it into a log
 * line, an error or a shortened display: core's Redactor, fed the secrets the sink registers, catches it.
 */
import { DeliveryError, Redactor } from '@liqmon/core';
import { FakeTelegram } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSink, FAKE_TELEGRAM_TOKEN, failureOf } from './helpers.js';

let fake: FakeTelegram | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Telegram: a server echoing the bot token', () => {
  it('an upper-cased echo in the error is redacted, also where the text is cut for display', async () => {
    const echoed = `Forbidden: request to /BOT${FAKE_TELEGRAM_TOKEN.toUpperCase()}/SENDMESSAGE refused`;
    fake = await FakeTelegram.start({ rateLimit: false, forbidden: { '1001': echoed } });
    const { sink, secrets } = createSink(fake);
    const error = await failureOf(sink.send('x', '1001', new AbortController().signal));
    expect(error).toBeInstanceOf(DeliveryError);
    const tokenSecret = FAKE_TELEGRAM_TOKEN.split(':')[1]!.toLowerCase();
    expect(error.message.toLowerCase()).toContain(tokenSecret); // the echo is really there
    const redactor = new Redactor();
    for (const secret of secrets) redactor.add(secret);
    const shown = [redactor.redact(`${error.message}\n${error.hint ?? ''}\n${(error as { stack?: string }).stack ?? ''}`), ...[30, 50, 70, 90].map((max) => redactor.cut(error.message, max))];
    for (const text of shown) expect(text.toLowerCase()).not.toContain(tokenSecret.slice(0, 8));
    expect(redactor.redact(error.message)).toContain('request to /[redacted]/SENDMESSAGE refused');
  });
});
