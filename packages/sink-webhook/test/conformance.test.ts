/** The webhook sink passes core's sink check against a fake receiver. */
import { checkSink, formatSinkReport } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import webhook from '../src/index.js';

it('passes the sink check', async () => {
  const report = await checkSink({
    definition: webhook,
    options: (receiver) => ({ url: `${receiver.url}/hook/s3cret-path-token`, secret: 'a-signing-secret-of-32-characters', headers: { Authorization: 'Bearer receiver-api-key' } }),
    fatalStatuses: [401, 403, 404, 410],
    retryableStatuses: [500, 502, 503, 504],
    inspect: (request) => {
      const body = JSON.parse(request.body) as { kind?: unknown; text?: unknown };
      return typeof body.kind === 'string' && typeof body.text === 'string' ? [] : [`the body lacks kind or text: ${request.body.slice(0, 100)}`];
    },
  });
  expect(report.ok, formatSinkReport(report)).toBe(true);
});
