/**
 * The Bitget source instance: loads the instrument lists, runs one {@link BitgetStream}, refreshes the
 * lists on a timer and decodes frames.
 *
 * Lifecycle:
 * 1. `prepare(reference?)` lists the symbols of every watched product type (or takes them from
 *    `reference`, with no I/O). A failure is logged; `start()` tries again.
 * 2. `start()` throws a `SourceUnreachableError` (core retries) while no product type could be listed,
 *    then opens the connection.
 * 3. Every `refreshInterval` (and when core calls `refresh()` after an unknown symbol) the lists are
 *    fetched again; a failure keeps the old lists and is retried within a minute.
 * 4. `stop()` clears the timer and closes the connection.
 */
import type { Liquidation, RawFrame, ReferenceData, SourceContext, SourceHealth, SourceInstance } from '@liqmon/core';
import { failureText, logFailure, SourceUnreachableError } from '@liqmon/core';
import { BitgetStream, type WsOverrides } from './connection.js';
import { decodeBitgetFrame } from './decode.js';
import { fetchInstruments, InstrumentBook } from './instruments.js';
import type { BitgetOptions } from './options.js';
import { INST_TYPES, instTypesOf, streamUrl, type InstType } from './protocol.js';

/** After a failed listing, try again this soon rather than a whole `refreshInterval` later. */
export const RETRY_AFTER_MS = 60_000;

/** Test seams: WebSocket client overrides. Core never passes these. */
export interface BitgetSourceInternals {
  ws?: WsOverrides;
}

/** Build a Bitget source instance. No I/O happens until `prepare`/`start`. */
export function createBitgetSource(options: BitgetOptions, context: SourceContext, internals: BitgetSourceInternals = {}): SourceInstance {
  const { logger } = context;
  const instTypes = instTypesOf(options.markets);
  const instruments = new InstrumentBook();
  const decodeContext = { source: context.name, instruments, instTypes: new Set(instTypes), symbols: options.symbols ? new Set(options.symbols) : undefined };
  /** Why each product type's last listing failed (cleared on success). */
  const failures = new Map<InstType, unknown>();
  let stream: BitgetStream | undefined;
  let refreshTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const restHost = new URL(options.restUrl).host;

  /** List every product type; true when all succeeded. Failures are remembered, not logged, here. */
  async function listAll(): Promise<boolean> {
    const results = await Promise.all(
      instTypes.map(async (instType) => {
        try {
          instruments.add(instType, await fetchInstruments(options.restUrl, instType, context.signal));
          failures.delete(instType);
          return true;
        } catch (error) {
          if (!context.signal.aborted) failures.set(instType, error);
          return false;
        }
      }),
    );
    return results.every(Boolean);
  }

  function reportFailures(retryInMs: number | undefined): void {
    for (const [instType, error] of failures) {
      const action = `cannot list ${INST_TYPES[instType].category} instruments`;
      logFailure(logger, { subject: context.name, action, host: restHost, error, ...(retryInMs !== undefined ? { retryInMs } : {}), unexpectedLevel: 'warn' });
    }
  }

  async function refreshOnTimer(): Promise<void> {
    const complete = await listAll();
    if (stopped) return;
    const next = complete ? options.refreshInterval : Math.min(RETRY_AFTER_MS, options.refreshInterval);
    if (!complete) reportFailures(next);
    schedule(next);
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refreshOnTimer(), delay);
  }

  return {
    async prepare(reference?: ReferenceData) {
      if (reference !== undefined && instruments.loadReference(reference)) return;
      if (reference !== undefined) logger.warn('the reference data given is not a Bitget instrument list; listing the instruments instead');
      if (!(await listAll())) reportFailures(undefined);
    },

    reference() {
      return instruments.toReference();
    },

    async refresh() {
      if (!(await listAll())) reportFailures(undefined);
    },

    async start() {
      if (instTypes.some((instType) => !instruments.has(instType))) await listAll();
      if (instTypes.every((instType) => !instruments.has(instType))) {
        throw new SourceUnreachableError('cannot list instruments', restHost, {
          cause: failures.values().next().value,
          hint: `Check network access to ${restHost}: the symbols' coins come from its instrument list.`,
        });
      }
      if (stopped) return;
      stream = new BitgetStream({
        url: streamUrl(options.wsUrl),
        instTypes,
        staleAfter: options.staleAfter,
        onFrame: (frame: RawFrame) => context.frame(frame),
        logger,
        signal: context.signal,
        ws: { maxFrameBytes: context.maxFrameBytes, onOversized: () => context.frameTooLarge(), ...internals.ws },
      });
      await stream.start();
      const complete = instTypes.every((instType) => instruments.has(instType) && !failures.has(instType));
      if (!complete) reportFailures(RETRY_AFTER_MS);
      schedule(complete ? options.refreshInterval : RETRY_AFTER_MS);
    },

    async stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      await stream?.stop();
    },

    decode(frame: RawFrame): readonly Liquidation[] {
      return decodeBitgetFrame(frame, decodeContext);
    },

    health(): SourceHealth {
      const connection = stream?.health();
      const refused = Object.entries(connection?.refused ?? {})[0];
      const listing = failures.values().next();
      const problem =
        (connection?.state !== 'open' ? connection?.lastFailure : undefined) ??
        (refused ? `${refused[0]} subscription refused: ${refused[1]}` : listing.done ? undefined : failureText(listing.value, 'cannot list instruments'));
      const open = (stream?.connected ?? false) && connection !== undefined;
      return {
        connected: open,
        ...(connection?.lastMessageAt !== undefined ? { lastMessageAt: connection.lastMessageAt } : {}),
        reconnects: connection?.reconnects ?? 0,
        feeds: Object.fromEntries(options.markets.map((market) => [market, open && instTypes.some((t) => INST_TYPES[t].market === market && !(t in (connection?.refused ?? {})))])),
        ...(problem !== undefined ? { problem } : {}),
        details: { connection, instruments: instruments.size },
      };
    },
  };
}
