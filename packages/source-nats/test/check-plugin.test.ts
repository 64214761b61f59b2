/** The checks `liqmon check-plugin packages/source-nats` runs, through the API: golden files and the decoder's conformance. */
import { fileURLToPath } from 'node:url';
import { checkPlugin, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import nats from '../src/index.js';

it('passes the golden and decoder checks of check-plugin (the live checks need a WebSocket venue and are skipped)', async () => {
  const report = await checkPlugin({ definition: nats, golden: fileURLToPath(new URL('./golden/', import.meta.url)) });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  expect(report.checks.filter((check) => check.status === 'pass').map((check) => check.name)).toContain('decodes every recorded frame to valid liquidations with stable ids');
});
