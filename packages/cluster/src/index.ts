/**
 * @liqmon/cluster: several liqmon instances with the same config run as one. They elect a leader
 * through a JetStream KV lease; every instance ingests and evaluates rules and publishes its alerts to
 * a JetStream stream (deduplicated by alert id); only the leader delivers from it, acknowledging each
 * alert once its sinks accepted it. The `liqmon` CLI uses it when the config has `cluster:`.
 */
export { ClusterNode, type ClusterNodeInit } from './node.js';
export { AckJournal, type Acknowledgeable } from './ack-journal.js';
export { ACK_WAIT_MS, MAX_ACK_PENDING, type AlertTarget } from './alert-consumer.js';
export { MAX_UNPUBLISHED, type StreamedAlert } from './alert-publisher.js';
export { LEASE_KEY, LeaderLease, type LeaseOptions, type LeaseValue, type LeaseView } from './lease.js';
export { Membership, type Member } from './members.js';
export { clusterNames, duplicateWindow, instanceName, renewEvery, type ClusterNames, type ClusterOptions } from './options.js';
export { ALERT_MAX_AGE_MS, ensureAlertStream } from './stream.js';
export type { ClusterMemberStatus, ClusterStatus } from './status.js';
