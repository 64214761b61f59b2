/** The outbox journal in `/healthz`, `liqmon status` and `/metrics`: shown in every state, never unhealthy. */
import { Redactor } from '@liqmon/core';
import { afterEach, describe, expect, it } from 'vitest';
import { formatHealth } from '../../src/ops/format-health.js';
import { HealthMonitor } from '../../src/ops/health.js';
import { healthReportSchema } from '../../src/ops/health-report.js';
import { Metrics } from '../../src/ops/metrics.js';
import type { JournalStatus } from '../../src/store/run-journal.js';
import { FakeTarget } from './fakes.js';

const closing: HealthMonitor[] = [];
afterEach(() => {
  for (const monitor of closing.splice(0)) monitor.close();
});

function report(status: JournalStatus | undefined, redactor = new Redactor()) {
  const monitor = new HealthMonitor({
    target: new FakeTarget([]),
    downAfterMs: 60_000,
    redactor,
    sampleEveryMs: 0,
    ...(status ? { journal: { status: () => status } } : {}),
  });
  closing.push(monitor);
  const health = monitor.report();
  expect(healthReportSchema.parse(health)).toEqual(health);
  return health;
}

describe('the outbox journal in /healthz and liqmon status', () => {
  it('shows pending alerts, what was recovered at start and failures', () => {
    const health = report({ state: 'ok', recovered: 7, failures: 0, pending: 3 });
    expect(health.journal).toEqual({ state: 'ok', recovered: 7, failures: 0, pending: 3 });
    expect(formatHealth(health, 'x')).toContain('outbox journal\n  on  pending 3  recovered at start 7  failures 0\n');
  });

  it('says a failed journal failed, with its last error redacted, and stays healthy (delivery goes on in memory)', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t-token');
    const health = report({ state: 'failed', recovered: 0, failures: 2, lastError: 'The database connection is not open s3cr3t-token' }, redactor);
    expect(health.status).toBe('ok');
    expect(health.journal?.lastError).not.toContain('s3cr3t-token');
    const text = formatHealth(health, 'x');
    expect(text).toContain('outbox journal\n  FAILED  pending ?  recovered at start 0  failures 2\n  last error: The database connection is not open');
    expect(text).not.toContain('s3cr3t-token');
  });

  it('says when there is no journal because the store could not be opened', () => {
    const health = report({ state: 'off', recovered: 0, failures: 0, lastError: 'the store /x/liqmon.db could not be opened' });
    expect(health.status).toBe('ok');
    expect(formatHealth(health, 'x')).toContain(
      'outbox journal\n  OFF  alerts are delivered from memory; those queued when liqmon is killed are lost\n  the store /x/liqmon.db could not be opened\n',
    );
  });

  it('leaves the journal out without one (store: false)', () => {
    const health = report(undefined);
    expect(health.journal).toBeUndefined();
    expect(formatHealth(health, 'x')).not.toContain('journal');
  });
});

describe('the outbox journal in /metrics', () => {
  const samples = async (metrics: Metrics) => (await metrics.text()).split('\n').filter((line) => line.startsWith('liqmon_journal'));

  it('reports up, pending, recovered and failures, read at scrape time', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let status: JournalStatus = { state: 'ok', recovered: 4, failures: 0, pending: 2 };
    metrics.attachJournal({ status: () => status });
    expect(await samples(metrics)).toEqual([
      'liqmon_journal_up 1',
      'liqmon_journal_pending_alerts 2',
      'liqmon_journal_recovered_alerts_total 4',
      'liqmon_journal_failures_total 0',
    ]);
    status = { state: 'failed', recovered: 4, failures: 3 };
    expect(await samples(metrics)).toEqual(expect.arrayContaining(['liqmon_journal_up 0', 'liqmon_journal_failures_total 3']));
  });

  it('has no journal series without a journal', async () => {
    expect(await samples(new Metrics({ defaultMetrics: false }))).toEqual([]);
  });
});
