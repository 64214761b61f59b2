import type { AlertKind } from '../alert.js';
import type { FormatConfig } from '../config/schema.js';
import type { LiquidationSide } from '../liquidation.js';

/** Options of {@link createFormatter}: the validated `format:` section of the config. */
export type FormatOptions = FormatConfig;

/** One fact of an alert as a name and a value, e.g. `Price` / `$64,250.1`. */
export interface FormattedField {
  readonly name: string;
  readonly value: string;
  /** Whether the fact is short enough to sit beside others (Discord inline fields). */
  readonly inline: boolean;
}

/**
 * An alert written out in words but without any markup: renderers add bold, escaping and layout for
 * their medium. All text is plain Unicode; nothing in it is escaped.
 */
export interface FormattedAlert {
  readonly kind: AlertKind;
  /** Name of the rule that produced the alert (empty for digests). */
  readonly rule: string;
  /** Coin emoji of the base asset, e.g. 🟠. */
  readonly emoji: string;
  /** Exchange tag, e.g. `BINANCE`; several joined with `+` for a cascade across exchanges. */
  readonly tag: string;
  /** The headline, e.g. `BTCUSDT Long liquidated $1.25M`. */
  readonly title: string;
  /** One skull per step of USD, e.g. 💀💀💀 (may be empty). */
  readonly skulls: string;
  /** Detail lines under the headline, for text renderers. */
  readonly lines: readonly string[];
  /** The same facts as name/value pairs, for structured renderers (Discord embeds). */
  readonly fields: readonly FormattedField[];
  /** Remarks that are not facts ("+3 more, $420K"); included in `lines` too. */
  readonly notes: readonly string[];
  /** Side of the liquidated positions, when the alert has one. */
  readonly side?: LiquidationSide;
  /** Time of the alert's latest liquidation (exchange time), ms since epoch. */
  readonly time: number;
}
