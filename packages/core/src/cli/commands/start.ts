/**
 * `liqmon start`: run until SIGINT/SIGTERM. The first signal stops the sources and drains the sink
 * queues under `shutdownTimeout`, then exits 0; a second signal exits at once.
 */
import { Runtime } from '../../runtime/runtime.js';
import { printInsteadOfSending } from '../dry-run.js';
import { openSession } from '../session.js';
import { describeRun } from './validate.js';
import { onShutdownSignal } from '../signals.js';

export async function startCommand(opts: { config?: string; logLevel?: string; dryRun?: boolean }): Promise<number> {
  const { config, logger, redactor } = await openSession(opts);
  logger.info(`config ${config.file ?? '(in memory)'}\n${describeRun(config)}`);
  const runtime = new Runtime({
    config,
    logger,
    redactor,
    wrapSink: opts.dryRun ? (entry, instance) => printInsteadOfSending(entry, instance) : undefined,
  });

  // A bug in one plugin must not take the whole monitor down: log it loudly and keep running.
  const onUncaught = (error: unknown) => logger.error({ err: error }, 'uncaught error (liqmon keeps running)');
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);

  const stopped = new Promise<number>((resolve) => {
    onShutdownSignal({
      first: (signal) => {
        logger.info(`${signal} received: stopping sources and draining sink queues (send it again to exit at once)`);
        runtime.stop().then(
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
  await runtime.start();
  const code = await stopped;
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  return code;
}
