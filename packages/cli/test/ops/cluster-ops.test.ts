/** The cluster in `/healthz`, `liqmon status` and `/metrics`: the leader, the lease's age, the members. */
import { describe, expect, it } from 'vitest';
import { Redactor } from '@liqmon/core';
import { formatHealth } from '../../src/ops/format-health.js';
import { HealthMonitor } from '../../src/ops/health.js';
import { healthReportSchema, type ClusterHealthReport } from '../../src/ops/health-report.js';
import { Metrics } from '../../src/ops/metrics.js';
import { FakeTarget } from './fakes.js';

const follower: ClusterHealthReport = {
  name: 'prod',
  instance: 'b',
  role: 'follower',
  leader: 'a',
  leaseAgeMs: 1_200,
  leaderForMs: 303_000,
  leaseMs: 10_000,
  connected: true,
  members: [
    { instance: 'a', host: 'host-1', pid: 4242, lastSeenMs: 1_200 },
    { instance: 'b', host: 'host-2', pid: 977, lastSeenMs: 2_900 },
  ],
  published: 1532,
  unpublished: 0,
  inFlight: 0,
};

function report(cluster: ClusterHealthReport) {
  const redactor = new Redactor();
  redactor.add('s3cret-token');
  const monitor = new HealthMonitor({ target: new FakeTarget([]), downAfterMs: 60_000, redactor, sampleEveryMs: 0, cluster: { status: () => cluster } });
  const health = monitor.report();
  monitor.close();
  return health;
}

describe('the cluster in /healthz and liqmon status', () => {
  it('shows the leader, the lease age and every member', () => {
    const health = report(follower);
    expect(healthReportSchema.parse(health)).toEqual(health);
    expect(health.status).toBe('ok');
    expect(health.cluster).toEqual(follower);
    expect(formatHealth(health, 'http://127.0.0.1:9464')).toContain(
      [
        'cluster prod: leader a, lease renewed 1.2s ago (10s lease), leading for 5m 3s',
        '  a  leader    host-1 pid 4242  seen 1.2s ago',
        '  b  follower  host-2 pid 977  seen 2.9s ago  (this instance)',
        '  published 1532  unpublished 0',
      ].join('\n'),
    );
  });

  it('is unhealthy while not connected to NATS, and says so; errors are redacted', () => {
    const health = report({ ...follower, connected: false, leader: undefined, leaseAgeMs: undefined, leaderForMs: undefined, lastError: 'lease: auth s3cret-token refused' } as ClusterHealthReport);
    expect(health.status).toBe('unhealthy');
    expect(health.problems).toEqual(['cluster prod: not connected to NATS; alerts wait to be published']);
    const text = formatHealth(health, 'x');
    expect(text).toContain('cluster prod: NOT CONNECTED to NATS, NO LEADER');
    expect(text).not.toContain('s3cret-token');
  });

  it('leaves the cluster out for a single instance', () => {
    const monitor = new HealthMonitor({ target: new FakeTarget([]), downAfterMs: 60_000, redactor: new Redactor(), sampleEveryMs: 0 });
    expect(monitor.report().cluster).toBeUndefined();
    monitor.close();
  });
});

describe('the cluster in /metrics', () => {
  it('says whether this instance leads, the lease age and the members', async () => {
    const metrics = new Metrics();
    let status: ClusterHealthReport = { ...follower, role: 'leader', leader: 'b', inFlight: 3 };
    metrics.attachCluster({ status: () => status });
    const text = await metrics.text();
    expect(text).toContain('liqmon_cluster_leader 1');
    expect(text).toContain('liqmon_cluster_lease_age_seconds 1.2');
    expect(text).toContain('liqmon_cluster_members 2');
    expect(text).toContain('liqmon_cluster_alerts_in_flight 3');
    expect(text).toContain('liqmon_cluster_alerts_published_total 1532');
    status = { ...follower, leader: undefined, leaseAgeMs: undefined };
    const after = await metrics.text();
    expect(after).toContain('liqmon_cluster_leader 0');
    expect(after).toContain('liqmon_cluster_lease_age_seconds -1');
  });
});
