/**
 * The OKX source instance.
 *
 * Lifecycle:
 * 1. `prepare(reference?)` loads the SWAP and FUTURES instrument lists (contract values), or takes them
 *    from `reference` (a recording's snapshot) without I/O. A failed listing is logged; start tries again.
 * 2. `start()` lists what is still missing (and throws `SourceUnreachableError`, retried by core, when
 *    no list at all could be loaded: without contract values no event can be priced), then opens the
 *    connection and subscribes both types.
 * 3. Every `refreshInterval`, and when core calls `refresh()` after a frame of an unlisted instrument,
 *    the lists are fetched again; a failed refresh keeps the old list.
 * 4. `stop()` clears the timer and closes the connection.
 */
import type { Liquidation, RawFrame, ReferenceData, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { failureText, logFailure, SourceUnreachableError } from '@liqmon/core';
import { OkxConnection, type WsOverrides } from './connection.js';
import { decodeOkxFrame, type DecodeContext } from './decode.js';
import { fetchInstruments, InstrumentBook, OKX_INST_TYPES, readReference, type OkxInstType } from './instruments.js';
import type { OkxOptions } from './options.js';
import { publicUrl } from './protocol.js';

/** After a failed refresh, try again this soon rather than a whole `refreshInterval` later. */
export const RETRY_AFTER_MS = 60_000;

/** Test seams: WebSocket client overrides. Core never passes these. */
export interface OkxSourceInternals {
  ws?: WsOverrides;
}

/** Build an OKX source instance. No I/O happens until `prepare`/`start`. */
export function createOkxSource(options: OkxOptions, context: SourceContext, internals: OkxSourceInternals = {}): SourceInstance {
  const { logger } = context;
  const instruments = new InstrumentBook();
  const decodeContext: DecodeContext = {
    source: context.name,
    instruments,
    markets: new Set(options.markets),
    ...(options.symbols ? { symbols: new Set(options.symbols) } : {}),
  };
  const restHost = new URL(options.restUrl).host;
  /** Why each type's last listing failed (cleared on success). */
  const failures = new Map<OkxInstType, unknown>();
  let connection: OkxConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  let loading: Promise<boolean> | undefined;
  let stopped = false;

  async function listType(instType: OkxInstType): Promise<void> {
    try {
      instruments.set(instType, await fetchInstruments(options.restUrl, instType, context.signal));
      failures.delete(instType);
    } catch (error) {
      if (!context.signal.aborted) failures.set(instType, error);
    }
  }

  /** List every type (one load at a time); true when all succeeded. */
  function load(types: readonly OkxInstType[] = OKX_INST_TYPES): Promise<boolean> {
    loading ??= Promise.all(types.map(listType)).then(() => {
      loading = undefined;
      logger.debug({ instruments: instruments.size }, 'OKX instruments listed');
      return failures.size === 0;
    });
    return loading;
  }

  function reportFailures(retryInMs: number): void {
    for (const [instType, error] of failures) {
      logFailure(logger, { subject: context.name, action: `cannot list ${instType} instruments`, host: restHost, error, retryInMs, unexpectedLevel: 'warn' });
    }
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refresh().then((ok) => schedule(ok ? options.refreshInterval : RETRY_AFTER_MS)), delay);
  }

  async function refresh(): Promise<boolean> {
    const ok = await load();
    if (!ok && !stopped) reportFailures(RETRY_AFTER_MS);
    return ok;
  }

  return {
    async prepare(reference?: ReferenceData) {
      const saved = reference === undefined ? undefined : readReference(reference);
      if (saved) {
        instruments.load(saved);
        return;
      }
      if (reference !== undefined) logger.warn('The saved reference data is not an OKX instrument list; listing instruments from OKX');
      await load();
    },

    reference() {
      return instruments.size > 0 ? instruments.reference() : undefined;
    },

    async refresh() {
      await refresh();
    },

    async start() {
      const missing = OKX_INST_TYPES.filter((type) => !instruments.loaded(type));
      if (missing.length > 0) await load(missing);
      if (instruments.size === 0) {
        throw new SourceUnreachableError('cannot list instruments', restHost, {
          cause: failures.values().next().value,
          hint: `Check network access to ${restHost}: OKX contract values come from its instrument list.`,
        });
      }
      if (failures.size > 0) reportFailures(RETRY_AFTER_MS);
      schedule(failures.size > 0 ? RETRY_AFTER_MS : options.refreshInterval);
      if (stopped) return;
      connection = new OkxConnection({
        url: publicUrl(options.wsUrl),
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
      return decodeOkxFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const stats = connection?.health();
      const listing = failures.values().next();
      const problem = stats?.state !== 'open' && stats?.lastFailure ? stats.lastFailure : listing.done ? undefined : failureText(listing.value, 'cannot list instruments');
      return {
        connected: connection?.connected ?? false,
        lastMessageAt: stats?.lastMessageAt,
        reconnects: stats?.reconnects ?? 0,
        feeds: Object.fromEntries(OKX_INST_TYPES.map((type) => [type, connection?.isSubscribed(type) ?? false])),
        ...(problem !== undefined ? { problem } : {}),
        details: { connection: stats, instruments: instruments.size },
      };
    },
  };
}
