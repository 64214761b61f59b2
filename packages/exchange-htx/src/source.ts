/**
 * The HTX source instance.
 *
 * Lifecycle:
 * 1. `prepare(reference?)` loads the USDT-margined contract list (contract sizes), or takes it from
 *    `reference` (a recording's snapshot) without I/O. A failed listing is logged; start tries again.
 * 2. `start()` lists the contracts if still missing (and throws `SourceUnreachableError`, retried by
 *    core, when it cannot: a frame of an unlisted contract is never priced), then opens the connection
 *    and subscribes `public.*.liquidation_orders`.
 * 3. Every `refreshInterval`, and when core calls `refresh()` after a frame of an unlisted contract,
 *    the list is fetched again; a failed refresh keeps the old list.
 * 4. `stop()` clears the timer and closes the connection.
 */
import type { Liquidation, RawFrame, ReferenceData, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { failureText, logFailure, SourceUnreachableError } from '@liqmon/core';
import { HtxConnection, type WsOverrides } from './connection.js';
import { decodeHtxFrame, type DecodeContext } from './decode.js';
import { ContractBook, fetchContracts, readReference } from './instruments.js';
import type { HtxOptions } from './options.js';
import { notificationUrl } from './protocol.js';

/** After a failed refresh, try again this soon rather than a whole `refreshInterval` later. */
export const RETRY_AFTER_MS = 60_000;

/** Test seams: WebSocket client overrides. Core never passes these. */
export interface HtxSourceInternals {
  ws?: WsOverrides;
}

/** Build an HTX source instance. No I/O happens until `prepare`/`start`. */
export function createHtxSource(options: HtxOptions, context: SourceContext, internals: HtxSourceInternals = {}): SourceInstance {
  const { logger } = context;
  const contracts = new ContractBook();
  const decodeContext: DecodeContext = {
    source: context.name,
    contracts,
    ...(options.symbols ? { symbols: new Set(options.symbols) } : {}),
  };
  const restHost = new URL(options.restUrl).host;
  /** Why the last listing failed (cleared on success). */
  let failure: unknown;
  let connection: HtxConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  let loading: Promise<boolean> | undefined;
  let stopped = false;

  /** List the contracts (one load at a time); true when it succeeded. */
  function load(): Promise<boolean> {
    loading ??= fetchContracts(options.restUrl, context.signal)
      .then(
        (listed) => {
          contracts.load(listed);
          failure = undefined;
          logger.debug({ contracts: contracts.size }, 'HTX contracts listed');
        },
        (error: unknown) => {
          if (!context.signal.aborted) failure = error;
        },
      )
      .then(() => {
        loading = undefined;
        return failure === undefined;
      });
    return loading;
  }

  function reportFailure(retryInMs: number): void {
    if (failure === undefined) return;
    logFailure(logger, { subject: context.name, action: 'cannot list contracts', host: restHost, error: failure, retryInMs, unexpectedLevel: 'warn' });
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refresh().then((ok) => schedule(ok ? options.refreshInterval : RETRY_AFTER_MS)), delay);
  }

  async function refresh(): Promise<boolean> {
    const ok = await load();
    if (!ok && !stopped) reportFailure(RETRY_AFTER_MS);
    return ok;
  }

  return {
    async prepare(reference?: ReferenceData) {
      const saved = reference === undefined ? undefined : readReference(reference);
      if (saved) {
        contracts.load(saved);
        return;
      }
      if (reference !== undefined) logger.warn('The saved reference data is not an HTX contract list; listing contracts from HTX');
      await load();
    },

    reference() {
      return contracts.size > 0 ? contracts.reference() : undefined;
    },

    async refresh() {
      await refresh();
    },

    async start() {
      if (!contracts.loaded) await load();
      if (contracts.size === 0) {
        throw new SourceUnreachableError('cannot list contracts', restHost, {
          cause: failure,
          hint: `Check network access to ${restHost}: HTX contract sizes come from its contract list.`,
        });
      }
      reportFailure(RETRY_AFTER_MS);
      schedule(failure === undefined ? options.refreshInterval : RETRY_AFTER_MS);
      if (stopped) return;
      connection = new HtxConnection({
        url: notificationUrl(options.wsUrl),
        staleAfter: options.staleAfter,
        onFrame: (frame) => context.frame(frame),
        logger,
        signal: context.signal,
        ws: { maxFrameBytes: context.maxFrameBytes, onOversized: () => context.frameTooLarge(), ...internals.ws },
      });
      await connection.start();
    },

    async stop() {
      stopped = true;
      clearTimeout(timer);
      await connection?.stop();
    },

    decode(frame: RawFrame): readonly Liquidation[] {
      return decodeHtxFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const stats = connection?.health();
      const problem =
        stats?.state !== 'open' && stats?.lastFailure
          ? stats.lastFailure
          : stats?.refused !== undefined
            ? `HTX refused the liquidation_orders subscription: ${stats.refused}`
            : failure === undefined
              ? undefined
              : failureText(failure, 'cannot list contracts');
      return {
        connected: connection?.connected ?? false,
        lastMessageAt: stats?.lastMessageAt,
        reconnects: stats?.reconnects ?? 0,
        feeds: { liquidation_orders: connection?.connected ?? false },
        ...(problem !== undefined ? { problem } : {}),
        details: { connection: stats, contracts: contracts.size },
      };
    },
  };
}
