/**
 * A deterministic id per alert, so that two instances (or two runs) that turn the same liquidations
 * into the same alert give it the same id: the outbox journal keys on it, and a cluster can dedupe by it.
 */
import { createHash } from 'node:crypto';
import type { Alert } from '../alert.js';

/**
 * The id of `alert`: 32 hex characters of SHA-256 over its rule, kind and its events' ids, plus the
 * count of liquidations behind it where the alert carries one (a cascade update or a cooldown fold
 * can list the same last events as an earlier report with more behind it), or a summary's period.
 */
export function alertId(alert: Alert): string {
  const hash = createHash('sha256').update(alert.rule).update('\n').update(alert.kind);
  for (const event of alert.events) hash.update('\n').update(event.id);
  // A summary has no events: its period tells it from the rule's other summaries.
  if (alert.kind === 'summary') hash.update(`\n@${alert.stats.since}-${alert.stats.until}`);
  else if (alert.count !== undefined) hash.update(`\n#${alert.count}`);
  return hash.digest('hex').slice(0, 32);
}
