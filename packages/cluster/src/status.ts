/** The cluster as `/healthz` and `liqmon status` report it. */

/** One member of the cluster, from its heartbeat. */
export interface ClusterMemberStatus {
  instance: string;
  host: string;
  pid: number;
  /** Milliseconds since its last heartbeat. */
  lastSeenMs: number;
}

/** How this instance sees the cluster. */
export interface ClusterStatus {
  /** The cluster's name (`cluster.name`). */
  name: string;
  /** This instance's name. */
  instance: string;
  /** `leader`: this instance delivers; `follower`: it ingests and evaluates, another delivers. */
  role: 'leader' | 'follower';
  /** The leader's name (absent while no instance holds the lease). */
  leader?: string;
  /** Milliseconds since the lease was last taken or renewed. */
  leaseAgeMs?: number;
  /** Milliseconds the leader has held the lease. */
  leaderForMs?: number;
  /** The lease time (`cluster.lease`). */
  leaseMs: number;
  /** True while connected to NATS. */
  connected: boolean;
  members: ClusterMemberStatus[];
  /** Alerts this instance published to the stream. */
  published: number;
  /** Alerts waiting to be published (NATS unreachable). */
  unpublished: number;
  /** Alerts the leader took from the stream and has not acknowledged yet. */
  inFlight: number;
  /** The last failure talking to NATS. */
  lastError?: string;
}
