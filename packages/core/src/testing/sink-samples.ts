/**
 * The alerts the sink check renders and sends: one of each kind a sink receives (a liquidation, a
 * cascade, an overflow digest) and one whose symbol, base and rule are made of markup and mention
 * syntax of every chat service, which a sink must escape or it breaks its message or pings people.
 */
import type { Alert, CascadeAlert, DigestAlert } from '../alert.js';
import type { Liquidation } from '../liquidation.js';
import { sampleLiquidation } from '../sample.js';

/** A named list of alerts to render into one message. */
export interface SinkSample {
  name: string;
  alerts: Alert[];
}

/** 2024-06-01T12:34:56.000Z: fixed, so that rendered messages are the same on every run. */
export const SAMPLE_TIME = Date.UTC(2024, 5, 1, 12, 34, 56);

/**
 * Markup of Telegram (MarkdownV2, HTML), Discord, Slack mrkdwn and HTML, mentions and a link: what an
 * exchange could send as a symbol. The exact text of {@link hostileSymbol}.
 */
export const HOSTILE_TEXT = '<b>*_~`|[x](http://evil.test)&amp;#+-=.!{}\\ @everyone <!channel> <@U123>';

/** A liquidation with the hostile text as symbol and base. */
export function hostileSymbol(): Liquidation {
  return sampleLiquidation({ id: 'sample:hostile', symbol: `${HOSTILE_TEXT}USDT`, base: HOSTILE_TEXT, time: SAMPLE_TIME, receivedAt: SAMPLE_TIME });
}

/** A liquidation `i` seconds after {@link SAMPLE_TIME}, alternating exchange and side. */
function event(i: number, overrides: Partial<Liquidation> = {}): Liquidation {
  const time = SAMPLE_TIME + i * 1000;
  return sampleLiquidation({
    id: `sample:${i}`,
    exchange: i % 2 === 0 ? 'binance' : 'bybit',
    market: i % 2 === 0 ? 'usdm' : 'linear',
    side: 'long',
    price: 64_250.1 - i,
    quantity: 2 + i,
    notionalUsd: (2 + i) * (64_250.1 - i),
    time,
    receivedAt: time + 40,
    ...overrides,
  });
}

/** A cascade of 50 liquidations on two exchanges, an update of one already reported. */
export function sampleCascade(): CascadeAlert {
  const events = Array.from({ length: 50 }, (_, i) => event(i));
  const largest = events[events.length - 1] ?? event(0);
  const totalUsd = events.reduce((sum, e) => sum + e.notionalUsd, 0);
  const tally = (exchange: string) => {
    const of = events.filter((e) => e.exchange === exchange);
    return { count: of.length, notionalUsd: of.reduce((sum, e) => sum + e.notionalUsd, 0) };
  };
  return {
    kind: 'cascade',
    rule: 'btc-cascade',
    events,
    createdAt: SAMPLE_TIME + 60_000,
    key: { base: 'BTC', side: 'long' },
    windowMs: 60_000,
    count: 50,
    totalUsd,
    byExchange: { binance: tally('binance'), bybit: tally('bybit') },
    largest,
    firstTime: events[0]?.time ?? SAMPLE_TIME,
    lastTime: largest.time,
    sinceLastReport: { count: 12, notionalUsd: 3_100_000, sinceMs: 60_000 },
  };
}

/** What an overflowing outbox sends: 37 alerts folded into one. */
export function sampleDigest(): DigestAlert {
  return {
    kind: 'digest',
    rule: '',
    events: [],
    createdAt: SAMPLE_TIME + 120_000,
    alerts: 37,
    count: 41,
    totalUsd: 4_200_000,
    firstTime: SAMPLE_TIME,
    lastTime: SAMPLE_TIME + 90_000,
    largest: event(3, { notionalUsd: 950_000 }),
  };
}

/** The samples every sink must render within its limits, one message each. */
export function sinkSamples(): SinkSample[] {
  return [
    { name: 'a liquidation', alerts: [{ kind: 'liquidation', rule: 'majors', events: [event(0)], createdAt: SAMPLE_TIME }] },
    { name: 'a cascade of 50 liquidations', alerts: [sampleCascade()] },
    { name: 'an overflow digest', alerts: [sampleDigest()] },
    { name: 'a hostile symbol', alerts: [{ kind: 'liquidation', rule: HOSTILE_TEXT, events: [hostileSymbol()], createdAt: SAMPLE_TIME }] },
  ];
}

/** `count` liquidation alerts to merge into one message (a sink's `maxAlertsPerMessage`). */
export function sampleBurst(count: number): Alert[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'liquidation', rule: 'burst', events: [event(i)], createdAt: SAMPLE_TIME + i * 1000 }));
}
