/** The store in `/healthz`, `liqmon status` and `/metrics`: off or paused is shown, and never unhealthy. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '@liqmon/core';
import { createMemoryLogger } from '@liqmon/core/testing';
import { Store, type StoreStatus } from '@liqmon/store';
import { formatHealth } from '../../src/ops/format-health.js';
import { HealthMonitor } from '../../src/ops/health.js';
import { healthReportSchema } from '../../src/ops/health-report.js';
import { Metrics } from '../../src/ops/metrics.js';
import { FakeTarget, liquidation } from './fakes.js';

let dir: string;
const closing: { close(): unknown }[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'liqmon-ops-store-'));
});
afterEach(async () => {
  for (const item of closing.splice(0)) await item.close();
  rmSync(dir, { recursive: true, force: true });
});

function report(store: { status(): StoreStatus }) {
  const monitor = new HealthMonitor({ target: new FakeTarget([]), downAfterMs: 60_000, redactor: new Redactor(), sampleEveryMs: 0, store });
  closing.push(monitor);
  return monitor.report();
}

describe('the store in /healthz and liqmon status', () => {
  it('says a corrupt store is off, names the file and the fix, and stays healthy (alerts go on)', () => {
    const file = join(dir, 'liqmon.db');
    writeFileSync(file, 'garbage '.repeat(200));
    const store = Store.open({ file, retentionMs: 0, logger: createMemoryLogger().logger });
    closing.push(store);
    store.write(liquidation());
    const health = report(store);
    expect(healthReportSchema.parse(health)).toEqual(health);
    expect(health.status).toBe('ok');
    expect(health.store).toMatchObject({ state: 'off', file, written: 0, notStored: { corrupt: 1 } });
    const text = formatHealth(health, 'http://127.0.0.1:9464');
    expect(text).toContain(`store\n  OFF  ${file}  written 0  not stored: corrupt 1\n  Cannot open the store ${file}`);
    expect(text).toContain(`mv ${file} ${file}.broken`);
  });

  it('shows a working store with what it wrote and the duplicates it skipped', () => {
    const store = Store.open({ file: join(dir, 'liqmon.db'), retentionMs: 0, logger: createMemoryLogger().logger });
    closing.push(store);
    store.write(liquidation({ id: 'a' }));
    store.write(liquidation({ id: 'a' }));
    store.write(liquidation({ id: 'b' }));
    store.flush();
    const health = report(store);
    expect(health.store).toEqual({ state: 'on', file: join(dir, 'liqmon.db'), written: 2, notStored: { duplicate: 1 } });
    expect(formatHealth(health, 'x')).toContain(`store\n  on  ${join(dir, 'liqmon.db')}  written 2  not stored: duplicate 1\n`);
  });

  it('leaves the store out when there is none (store: false)', () => {
    const monitor = new HealthMonitor({ target: new FakeTarget([]), downAfterMs: 60_000, redactor: new Redactor(), sampleEveryMs: 0 });
    closing.push(monitor);
    expect(monitor.report().store).toBeUndefined();
    expect(formatHealth(monitor.report(), 'x')).not.toContain('store');
  });
});

describe('the store in /metrics', () => {
  const samples = (text: string) => text.split('\n').filter((line) => line.startsWith('liqmon_store'));

  it('reports up, rows written and rows not stored by reason', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let status: StoreStatus = { state: 'on', file: 'x', written: 10, notStored: { duplicate: 2, backlog: 0, full: 0, locked: 0, corrupt: 0, unwritable: 0, other: 0 } };
    metrics.attachStore({ status: () => status });
    expect(samples(await metrics.text())).toEqual(
      expect.arrayContaining(['liqmon_store_up 1', 'liqmon_store_rows_written_total 10', 'liqmon_store_rows_not_stored_total{reason="duplicate"} 2', 'liqmon_store_rows_not_stored_total{reason="full"} 0', 'liqmon_store_rows_not_stored_total{reason="backlog"} 0']),
    );
    status = { ...status, state: 'paused', notStored: { ...status.notStored, full: 7 } };
    expect(samples(await metrics.text())).toEqual(expect.arrayContaining(['liqmon_store_up 0', 'liqmon_store_rows_not_stored_total{reason="full"} 7']));
  });

  it('has no store series without a store', async () => {
    expect(samples(await new Metrics({ defaultMetrics: false }).text())).toEqual([]);
  });
});
