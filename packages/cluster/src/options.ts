/**
 * The cluster's options as the CLI hands them over (the validated `cluster:` section of the config),
 * and the names derived from them: the KV bucket of the lease, the alert stream and its subject.
 */
import { hostname } from 'node:os';
import type { ClusterConfig } from '@liqmon/core/runtime';

/** Options of a {@link ClusterNode}: the `cluster:` section, validated. */
export type ClusterOptions = ClusterConfig;

/** What the cluster's objects on the NATS server are called, for one cluster name. */
export interface ClusterNames {
  /** KV bucket holding the lease (`leader`) and the members' heartbeats (`members.<instance>`). */
  bucket: string;
  /** JetStream stream of the alerts every instance publishes and the leader delivers. */
  stream: string;
  /** Subject of the alerts. Outside `liqmon.>`, so it never overlaps the bus stream of the `nats` sink. */
  subject: string;
  /** Durable consumer the leader delivers from. */
  consumer: string;
}

/** The names for cluster `name` (checked by the config schema: letters, digits, `_`, `-`). */
export function clusterNames(name: string): ClusterNames {
  return {
    bucket: `liqmon-cluster-${name}`,
    stream: `LIQMON_CLUSTER_${name}`,
    subject: `liqmon_cluster.${name}.alerts`,
    consumer: 'leader',
  };
}

/** This instance's name: `instance` from the config, else `<hostname>-<pid>` made safe for a KV key. */
export function instanceName(options: Pick<ClusterOptions, 'instance'>, pid = process.pid, host = hostname()): string {
  if (options.instance !== undefined) return options.instance;
  return `${host.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 48)}-${pid}`;
}

/** How often the lease is renewed (and a follower tries to take it): a third of the lease. */
export function renewEvery(leaseMs: number): number {
  return Math.max(500, Math.floor(leaseMs / 3));
}

/**
 * How long JetStream remembers an alert id, to store an alert two instances publish once. The
 * instances evaluate the same events within a second or so of each other; a follower that took over
 * publishes what it evaluated up to the lease time later than the dead leader would have. Two
 * minutes cover the default lease (10 s) with a wide margin for clock skew and slow evaluation;
 * with a longer lease it is lease x 4.
 */
export function duplicateWindow(leaseMs: number): number {
  return Math.max(120_000, leaseMs * 4);
}
