/**
 * `liqmon export [--since 24h] [--until T] [--format ndjson|csv] [-o FILE] [-c config]`: the stored
 * liquidations of a period, oldest first. NDJSON lines are recording lines (`liqmon replay` reads
 * them); CSV has a header and the fields in `LIQUIDATION_FIELDS` order. Read-only beside a running
 * `liqmon start`. The count goes to stderr, so stdout carries only the data.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { UsageError } from '@liqmon/core';
import { storedLiquidations } from '@liqmon/store';
import { printErr } from '../output.js';
import { parsePeriod } from '../store/period.js';
import { openStoreReader } from '../store/reader.js';
import { EXPORT_FORMATS, type ExportFormat, writeExport } from '../store/write-export.js';

export interface ExportOptions {
  config?: string;
  since?: string;
  until?: string;
  format?: string;
  output?: string;
}

export async function exportCommand(opts: ExportOptions): Promise<number> {
  const period = parsePeriod(opts);
  const format = (opts.format ?? 'ndjson') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format "${opts.format}" is not one of ${EXPORT_FORMATS.join(', ')}.`);
  const { db } = await openStoreReader(opts.config === undefined ? {} : { configPath: opts.config });
  try {
    if (opts.output === undefined) {
      const count = await writeExport(storedLiquidations(db, period), format, process.stdout);
      printErr(`exported ${count} liquidation${count === 1 ? '' : 's'}\n`);
      return 0;
    }
    const out = createWriteStream(opts.output);
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    const count = await Promise.race([writeExport(storedLiquidations(db, period), format, out), failed]);
    out.end();
    await finished(out);
    printErr(`exported ${count} liquidation${count === 1 ? '' : 's'} to ${opts.output}\n`);
    return 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (opts.output !== undefined && typeof code === 'string' && code.startsWith('E')) {
      printErr(`liqmon: cannot write ${opts.output}: ${(error as Error).message}\n  hint: give -o a path in a folder you can write.\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}
