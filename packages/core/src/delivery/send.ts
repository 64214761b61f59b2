/** One send attempt, bounded in time, and the classification of its failure. */
import { DeliveryError, type DeliveryFailureKind, type DeliveryFailureScope } from '../errors.js';
import type { SinkInstance } from '../plugin.js';

export interface SendFailure {
  kind: DeliveryFailureKind;
  /** For `fatal`: the whole sink or only this destination. */
  scope: DeliveryFailureScope;
  message: string;
  hint: string | undefined;
  retryAfterMs: number | undefined;
  /** A `retryable` failure that is the server's pacing, with a wait: see DeliveryError.rateLimited. */
  rateLimited: boolean;
  /** True when the send was cut short by shutdown rather than failing by itself. */
  aborted: boolean;
  error: unknown;
}

/**
 * Call `send` with a signal that aborts after `timeoutMs` or when `stop` aborts. Resolves to undefined
 * on success, or to the failure; never rejects. A sink that ignores the signal is not waited for.
 */
export async function sendOnce(
  instance: SinkInstance,
  message: unknown,
  destination: string,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<SendFailure | undefined> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`send timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onStop = () => controller.abort(new Error('shutdown deadline reached'));
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(controller.signal.reason as Error);
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => {}); // settled by the race below or not at all; never unhandled
  try {
    await Promise.race([instance.send(message, destination, controller.signal), aborted]);
    return undefined;
  } catch (error) {
    return classify(error, !timedOut && stop.aborted);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/** `DeliveryError`s say what to do; anything else thrown is retryable (network, bugs in a sink). */
function classify(error: unknown, aborted: boolean): SendFailure {
  if (error instanceof DeliveryError || (isDeliveryErrorLike(error) && !aborted)) {
    const e = error as DeliveryError;
    // A DeliveryError of an older core copy has no scope: it meant the whole sink.
    const scope = e.scope === 'destination' ? 'destination' : 'sink';
    // Pacing needs a wait to honour; an older core copy's error has no such field (undefined: not pacing).
    const rateLimited = e.kind === 'retryable' && e.rateLimited === true && typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0;
    return { kind: e.kind, scope, message: e.message, hint: e.hint, retryAfterMs: e.retryAfterMs, rateLimited, aborted, error };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'retryable', scope: 'sink', message, hint: undefined, retryAfterMs: undefined, rateLimited: false, aborted, error };
}

/** A DeliveryError from another copy of core (a plugin that bundled its own). */
function isDeliveryErrorLike(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; kind?: unknown };
  return e.code === 'LIQMON_DELIVERY_FAILED' && (e.kind === 'retryable' || e.kind === 'fatal' || e.kind === 'rejected');
}
