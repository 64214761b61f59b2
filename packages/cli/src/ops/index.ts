/** Operations: instance lock, health model, Prometheus metrics, the `/healthz` + `/metrics` server. */
export { Ops, type OpsOptions, type OpsRuntime } from './ops.js';
export { HealthMonitor, type HealthMonitorOptions, type HealthTarget } from './health.js';
export { healthReportSchema, type HealthReport, type SinkHealthReport, type SourceHealthReport } from './health-report.js';
export { Metrics, type MetricsTarget } from './metrics.js';
export { InstanceLock, isAlive, lockPathFor, readLock, type LockInfo, type LockPlace } from './lock.js';
export { OPS_SERVER_LIMITS, startOpsServer, type OpsServer, type OpsServerLimits, type OpsServerOptions } from './server.js';
export { instrumentSink } from './instrument-sink.js';
