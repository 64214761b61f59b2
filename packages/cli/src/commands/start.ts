/**
 * `liqmon start`: run until SIGINT/SIGTERM. The first signal stops the sources and drains the sink
 * queues under `shutdownTimeout`, then exits 0; a second signal exits at once.
 */
import { consoleSink, type LoadedConfig, Runtime } from '@liqmon/core/runtime';
import { UsageError } from '@liqmon/core';
import { Ops } from '../ops/index.js';
import { printInsteadOfSending } from '../dry-run.js';
import { MEMORY_HINT, semiSpaceSizeSet } from '../memory-hint.js';
import { openSession, type Session } from '../session.js';
import { describeRun } from './validate.js';
import { isBrokenPipe, onShutdownSignal } from '../signals.js';
import { openRunStore } from '../store/run-store.js';
import { storePeriodStats } from '../store/summary-stats.js';
import { RunJournal } from '../store/run-journal.js';
import type { Store } from '@liqmon/store';
import type { ClusterNode } from '@liqmon/cluster';
import { joinCluster } from '../cluster.js';

export async function startCommand(opts: { config?: string; logLevel?: string; dryRun?: boolean; raw?: boolean }): Promise<number> {
  if (opts.raw && !opts.dryRun) throw new UsageError('--raw changes what --dry-run prints, and nothing is previewed without it.', { hint: 'Run `liqmon start --dry-run --raw`.' });
  const { config, logger, redactor } = await openSession(opts);
  logger.info(`config ${config.file ?? '(in memory)'}\n${describeRun(config)}`);
  if (opts.dryRun) logger.info(dryRunNotice(config, opts.raw === true));
  if (!semiSpaceSizeSet()) logger.info(MEMORY_HINT);
  // Operations (src/ops/): the one-instance lock is taken here, before anything connects, and released
  // in `finally` on every way out. A dry run sends nothing, so it takes no lock and serves no `http:`
  // (it can run beside the real instance). Throws InstanceRunningError (exit 1) when the lock is held.
  const ops = await Ops.open({ config, logger, redactor, lock: !opts.dryRun, http: !opts.dryRun });
  // The store (after the lock, so two instances never write one file): a dry run stores nothing, so
  // that it can run beside the real instance.
  const store = opts.dryRun ? undefined : openRunStore(config, logger);
  // The outbox journal, on the store's connection: a dry run has none (it must not send or mark a real
  // run's alerts), nor has `store: false`; a store that could not be opened leaves delivery in memory.
  // In a cluster the alert stream is the durable outbox (docs/decisions/cluster.md): no store journal.
  const journal = opts.dryRun || config.core.cluster ? undefined : RunJournal.open(store, logger);
  try {
    return await run(opts, { config, logger, redactor }, ops, store, journal);
  } finally {
    // After the runtime has stopped: what it delivered is marked, then the store's writer thread writes
    // the last liquidations and marks before it closes.
    await store?.close();
    await ops.close();
  }
}

async function run(
  opts: { dryRun?: boolean; raw?: boolean },
  { config, logger, redactor }: Session,
  ops: Ops,
  store: Store | undefined,
  journal: RunJournal | undefined,
): Promise<number> {
  ops.attachStore(store);
  ops.attachJournal(journal);
  // `cluster:` (docs/scaling.md): alerts go through the cluster's stream and only the leader delivers.
  // A dry run sends nothing and stays out of the cluster.
  const cluster = opts.dryRun ? undefined : await joinCluster(config, logger, redactor);
  ops.attachCluster(cluster);
  try {
    return await runWith(opts, { config, logger, redactor }, ops, store, journal, cluster);
  } finally {
    await cluster?.close();
  }
}

async function runWith(
  opts: { dryRun?: boolean; raw?: boolean },
  { config, logger, redactor }: Session,
  ops: Ops,
  store: Store | undefined,
  journal: RunJournal | undefined,
  cluster: ClusterNode | undefined,
): Promise<number> {
  const preview = { raw: opts.raw === true };
  const countEvent = ops.onEvent;
  const runtime = new Runtime({
    config,
    logger,
    redactor,
    // ops.wrapSink times deliveries for the latency histogram (returns the instance as is when metrics are off).
    wrapSink: (entry, instance) => ops.wrapSink(entry.name, opts.dryRun ? printInsteadOfSending(entry, instance, preview) : instance),
    // Every liquidation that passed core's checks is stored, alerted or not (a buffer push: off the hot path).
    onEvent: store
      ? (event) => {
          countEvent?.(event);
          store.write(event);
        }
      : countEvent,
    onAlert: ops.onAlert,
    // Summary rules take a period's statistics from the store when it can answer (a restart then
    // still sends the whole day), else from what this run counted.
    ...(store ? { periodStats: storePeriodStats(store) } : {}),
    // Alerts are written before delivery and marked once sent; what the last run left is queued first.
    ...(journal?.journal ? { journal: journal.journal } : {}),
    // A cluster publishes every alert to its stream; the leader hands them back to delivery.
    ...(cluster ? { routeAlert: cluster.publish, journal: cluster.journal } : {}),
  });
  journal?.attach(runtime.delivery);
  // /healthz and /metrics listen before the sources start, so a source that cannot connect shows up there.
  await ops.serve(runtime);
  await cluster?.start(runtime.delivery);
  // The leader stops taking alerts from the stream before its outboxes drain; the lease is released
  // (cluster.close, in the caller) once they have, so that a follower takes over with no duplicate.
  const stopRuntime = async () => {
    await cluster?.stopDelivering();
    return runtime.stop();
  };

  // A bug in one plugin must not take the whole monitor down: log it loudly and keep running.
  // Broken pipes are handled as a shutdown trigger (signals.ts); logging them would write to the broken pipe.
  const onUncaught = (error: unknown) => {
    if (!isBrokenPipe(error)) logger.error({ err: error }, 'uncaught error (liqmon keeps running)');
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);

  let removeSignals = () => {};
  const stopped = new Promise<number>((resolve) => {
    removeSignals = onShutdownSignal({
      first: (reason) => {
        logger.info(
          reason === 'EPIPE'
            ? 'output closed by its reader: stopping sources and draining sink queues'
            : `${reason} received: stopping sources and draining sink queues (send it again to exit at once)`,
        );
        stopRuntime().then(
          (report) => {
            logger.info(report, 'stopped');
            resolve(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            resolve(1);
          },
        );
      },
      second: (signal) => {
        logger.warn(`${signal} received again: exiting now; alerts still queued are lost`);
        resolve(1);
      },
    });
  });
  // With no source holding a socket open (all disabled, or all waiting to retry) Node would see an
  // empty event loop and exit with code 13 while we wait for a signal: hold one timer until stopped.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  await runtime.start();
  // Every source failed for good (none can be built from its options): nothing will ever be watched.
  const allFailed = runtime.sources.length > 0 && runtime.sources.every((source) => source.failed);
  const code = allFailed ? await stopFailed(runtime, logger) : await stopped;
  clearInterval(keepAlive);
  removeSignals();
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  return code;
}

/** Stop (draining what is queued) when no source can run, and exit 1. */
async function stopFailed(runtime: Runtime, logger: Session['logger']): Promise<number> {
  const names = runtime.sources.map((source) => source.name).join(', ');
  const their = runtime.sources.length === 1 ? 'its plugin' : 'their plugins';
  logger.error(`no source can run (${names}: ${their} cannot be built with these options, see above); exiting`);
  await runtime.stop();
  return 1;
}

/** The line a dry run starts with: nothing is sent, and which sinks print what. */
function dryRunNotice(config: LoadedConfig, raw: boolean): string {
  const on = config.sinks.filter((s) => !s.disabledReason);
  const previewed = on.filter((s) => s.definition !== consoleSink).map((s) => s.name);
  const printing = on.filter((s) => s.definition === consoleSink).map((s) => s.name);
  const off = config.sinks.filter((s) => s.disabledReason).map((s) => s.name);
  const parts = [
    'dry run: nothing is sent.',
    previewed.length > 0
      ? `${previewed.join(', ')} print${previewed.length === 1 ? 's' : ''} on stdout what ${previewed.length === 1 ? 'it' : 'they'} would send, as each message is due (${raw ? 'the rendered markup: --raw' : "the reader's text; --raw shows the markup"}).`
      : 'No sink would send anything.',
  ];
  if (printing.length > 0) parts.push(`${printing.join(', ')} print${printing.length === 1 ? 's' : ''} as usual.`);
  if (off.length > 0) parts.push(`Off, so silent: ${off.join(', ')} (see the warnings above).`);
  return parts.join(' ');
}
