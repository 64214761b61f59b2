/**
 * Start after a crash (or a shutdown that hit its deadline): what the alert journal still holds as
 * pending is queued again, per destination, in the order it was written and before any new alert.
 * Alerts older than `delivery.maxAge` are not sent one by one hours late: they fold into one digest
 * per destination, which goes first ("+12 more liquidations, $8.4M in total"). Alerts whose sink or
 * destination is no longer in the config are settled as `gone`, said in one line.
 */
import type { Logger } from '../logger.js';
import { foldInto, newDigest } from './digest.js';
import type { JournalGuard } from './journal-guard.js';
import type { Outbox, Waiting } from './outbox.js';
import type { PendingAlert } from './types.js';

export interface RecoveryInit {
  journal: JournalGuard;
  /** The outbox of a sink destination, if it runs. */
  outboxes: (sink: string, destination: string) => Outbox | undefined;
  /** `delivery.maxAge` in ms. */
  maxAgeMs: number;
  now: () => number;
  logger: Logger;
}

/** Queue what the journal holds as pending; returns how many alerts were queued again. */
export function recover(init: RecoveryInit): number {
  const pending = init.journal.pending();
  if (pending.length === 0) return 0;
  const byOutbox = new Map<Outbox, PendingAlert[]>();
  const gone: PendingAlert[] = [];
  for (const entry of pending) {
    const outbox = init.outboxes(entry.sink, entry.destination);
    if (!outbox) {
      gone.push(entry);
      continue;
    }
    let list = byOutbox.get(outbox);
    if (!list) byOutbox.set(outbox, (list = []));
    list.push(entry);
  }
  if (gone.length > 0) {
    init.journal.settle(
      gone.map((entry) => entry.key),
      'gone',
    );
    const where = [...new Set(gone.map((entry) => `${entry.sink}/${entry.destination}`))].join(', ');
    init.logger.warn(
      { alerts: gone.length },
      `${gone.length} undelivered alert(s) from the last run were for ${where}, which this config no longer runs; they are dropped`,
    );
  }
  const cutoff = init.now() - init.maxAgeMs;
  let queued = 0;
  for (const [outbox, entries] of byOutbox) {
    const stale = entries.filter((entry) => entry.alert.createdAt < cutoff);
    const fresh = entries.filter((entry) => entry.alert.createdAt >= cutoff);
    const restored: Waiting[] = [];
    if (stale.length > 0) {
      const digest = newDigest(init.now());
      for (const entry of stale) foldInto(digest, entry.alert);
      restored.push({ alert: digest, key: undefined, folded: stale.map((entry) => entry.key) });
    }
    for (const entry of fresh) restored.push({ alert: entry.alert, key: entry.key });
    outbox.restore(restored);
    queued += entries.length;
    const [first] = entries;
    init.logger.info(
      { sink: first?.sink, destination: outbox.destination, alerts: entries.length, stale: stale.length },
      `sending ${entries.length} alert(s) the last run left undelivered for ${first?.sink}/${outbox.destination}` +
        (stale.length > 0 ? `; ${stale.length} older than delivery.maxAge go as one digest` : ''),
    );
  }
  init.journal.recovered(queued);
  return queued;
}
