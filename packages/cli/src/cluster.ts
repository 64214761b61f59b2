/**
 * `cluster:` in the config: join the cluster before the runtime is built (its alert route and journal
 * come from the node). NATS unreachable at start is a runtime failure (exit 1) with the servers named:
 * an instance that cannot reach the cluster must not deliver on its own, or the pair would send twice.
 */
import type { Logger } from 'pino';
import type { Redactor } from '@liqmon/core';
import type { LoadedConfig } from '@liqmon/core/runtime';
import type { ClusterNode } from '@liqmon/cluster';

/** The cluster node for this config, connected; undefined without `cluster:`. */
export async function joinCluster(config: LoadedConfig, logger: Logger, redactor: Redactor): Promise<ClusterNode | undefined> {
  const options = config.core.cluster;
  if (!options) return undefined;
  // Loaded only for a cluster: the NATS client it brings is about 1 MB of code a single instance never runs.
  const { ClusterNode } = await import('@liqmon/cluster');
  const node = await ClusterNode.connect({ options, logger: logger.child({ component: 'cluster' }), redactor });
  logger.info(`cluster "${options.name}": joined as ${node.instance} (lease ${options.lease / 1000}s); only the leader delivers`);
  return node;
}
