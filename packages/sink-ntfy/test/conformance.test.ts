/** The ntfy sink passes core's sink check against a fake receiver answering like ntfy. */
import { checkSink, formatSinkReport } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import ntfy, { NTFY_MESSAGE_LIMIT } from '../src/index.js';

it('passes the sink check', async () => {
  const report = await checkSink({
    definition: ntfy,
    options: (receiver) => ({ url: receiver.url, topic: 'liqmon-check-x7f3k', token: 'tk_fakeaccesstoken0123456789' }),
    // ntfy's error bodies (server/errors.go): {"code":42901,"http":429,"error":"limit reached: too many requests"}
    replies: { ok: { body: { id: 'abc', event: 'message' } }, failure: (status) => ({ body: { code: status * 100 + 1, http: status, error: status === 429 ? 'limit reached: too many requests' : 'error' } }) },
    inspect: (request) => {
      const problems = [];
      if (Buffer.byteLength(request.body) > NTFY_MESSAGE_LIMIT) problems.push(`a body of ${Buffer.byteLength(request.body)} bytes`);
      if (!/^[345]$/.test(request.headers['x-priority'] ?? '')) problems.push(`X-Priority ${request.headers['x-priority']}`);
      if (!request.headers['x-title']) problems.push('no X-Title');
      return problems;
    },
  });
  expect(report.ok, formatSinkReport(report)).toBe(true);
});
