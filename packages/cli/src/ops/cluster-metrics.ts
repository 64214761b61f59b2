/**
 * The cluster's Prometheus metrics (`cluster:` in the config), read from the node at scrape time:
 * whether this instance leads, the lease's age, the members, and the alerts published and in flight.
 */
import type * as PromClientModule from 'prom-client';
import type { Registry } from 'prom-client';
import type { ClusterHealthReport } from './health-report.js';

/** What the monitor and the metrics read of the cluster; `ClusterNode` fits it. */
export interface ClusterStatusSource {
  status(): ClusterHealthReport;
}

/** Register the `liqmon_cluster_*` metrics in `registry`. */
export function registerClusterMetrics(prom: typeof PromClientModule, registry: Registry, cluster: ClusterStatusSource): void {
  const registers = [registry];
  const gauge = (name: string, help: string, read: (status: ClusterHealthReport) => number): void => {
    new prom.Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read(cluster.status()));
      },
    });
  };
  gauge('liqmon_cluster_leader', '1 while this instance holds the lease and delivers; 0 while it follows.', (s) => (s.role === 'leader' ? 1 : 0));
  gauge('liqmon_cluster_lease_age_seconds', 'Seconds since the lease was last taken or renewed (by any instance); -1 while no instance holds it.', (s) =>
    s.leaseAgeMs === undefined ? -1 : s.leaseAgeMs / 1000,
  );
  gauge('liqmon_cluster_members', 'Instances whose heartbeat is fresh, this one included.', (s) => s.members.length);
  gauge('liqmon_cluster_connected', '1 while connected to NATS.', (s) => (s.connected ? 1 : 0));
  gauge('liqmon_cluster_alerts_unpublished', 'Alerts waiting to be published to the cluster stream.', (s) => s.unpublished);
  gauge('liqmon_cluster_alerts_in_flight', 'Alerts the leader took from the stream and has not acknowledged yet.', (s) => s.inFlight);
  new prom.Counter({
    name: 'liqmon_cluster_alerts_published_total',
    help: 'Alerts this instance published to the cluster stream (the stream stores an alert two instances publish once).',
    registers,
    collect() {
      this.reset();
      this.inc(cluster.status().published);
    },
  });
}
