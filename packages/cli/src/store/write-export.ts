/**
 * Writing stored liquidations as CSV or NDJSON recording lines to a stream, in chunks of about 64 KB,
 * waiting for the stream to drain, so that exporting millions of rows keeps memory flat.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Liquidation } from '@liqmon/core';
import { liquidationLine } from '@liqmon/core/runtime';
import { CSV_HEADER, csvLine } from '@liqmon/store';

/** Export formats. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CHUNK_CHARS = 64 * 1024;

/** Write `events` to `out` in `format`. Resolves with the number written. */
export async function writeExport(events: Iterable<Liquidation>, format: ExportFormat, out: Writable): Promise<number> {
  const line = format === 'csv' ? csvLine : liquidationLine;
  let chunk = format === 'csv' ? `${CSV_HEADER}\n` : '';
  let count = 0;
  for (const event of events) {
    chunk += `${line(event)}\n`;
    count++;
    if (chunk.length >= CHUNK_CHARS) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  if (chunk) out.write(chunk);
  return count;
}
