/** The Telegram sink passes core's sink check (limits, error classes, abort, secrets) against a fake receiver. */
import { checkSink, FAKE_TELEGRAM_TOKEN, formatSinkReport } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import telegram from '../src/index.js';

it('passes the sink check', async () => {
  const report = await checkSink({
    definition: telegram,
    options: (receiver) => ({ token: FAKE_TELEGRAM_TOKEN, chatId: '1001', apiUrl: receiver.url, pacing: { chat: '0ms', group: '0ms' } }),
    replies: {
      ok: { body: { ok: true, result: { message_id: 1 } } },
      // Bot API errors (https://core.telegram.org/bots/api#making-requests): the wait is in the body.
      failure: (status, retryAfter) => ({
        body: { ok: false, error_code: status, description: status === 429 ? `Too Many Requests: retry after ${retryAfter}` : `Error ${status}`, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) },
      }),
    },
  });
  expect(report.ok, formatSinkReport(report)).toBe(true);
});
