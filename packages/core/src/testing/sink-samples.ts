/**
 * The alerts the sink check renders and sends: one of each kind a sink receives (a liquidation, a
 * cascade, an overflow digest, a period's summary) and ones whose symbol, base and rule are made of markup and mention
 * syntax of every chat service, which a sink must escape or it breaks its message or pings people.
 */
import type { Alert, CascadeAlert, DigestAlert, SummaryAlert } from '../alert.js';
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

/**
 * A daily summary (`summary: { every: 1d }`): $1.24B over four exchanges, Binance's feed sampled. With
 * `hostile`, the exchanges and bases are made of {@link HOSTILE_TEXT}, as a feed could send them.
 */
export function sampleSummary(hostile = false): SummaryAlert {
  const day = 86_400_000;
  const since = Math.floor(SAMPLE_TIME / day) * day;
  const name = (text: string, i: number) => (hostile ? `${HOSTILE_TEXT}${i}` : text);
  const totalUsd = 1_240_000_000;
  const groups = [
    ['binance', 508_400_000, 41_200],
    ['bybit', 409_200_000, 30_100],
    ['okx', 198_400_000, 15_800],
    ['bitget', 124_000_000, 9_400],
  ] as const;
  const tops = [
    ['BTC', 420_000_000, 20_500],
    ['ETH', 310_000_000, 18_000],
    ['SOL', 150_000_000, 12_000],
    ['DOGE', 60_000_000, 9_000],
    ['1000PEPE', 40_000_000, 8_000],
  ] as const;
  return {
    kind: 'summary',
    rule: hostile ? HOSTILE_TEXT : 'daily',
    events: [],
    createdAt: since + day + 5_000,
    periodMs: day,
    stats: {
      since,
      until: since + day,
      by: 'exchange',
      minUsd: null,
      count: 96_500,
      totalUsd,
      sides: { long: { count: 70_000, totalUsd: 843_200_000 }, short: { count: 26_500, totalUsd: 396_800_000 } },
      size: { min: 1.2, max: 12_400_000, average: totalUsd / 96_500, median: 2_150 },
      groups: groups.map(([key, usd, count], i) => ({ key: name(key, i), count, totalUsd: usd, share: usd / totalUsd })),
      top: tops.map(([base, usd, count], i) => ({ base: name(base, i), count, totalUsd: usd, share: usd / totalUsd })),
      sampledExchanges: [name('binance', 0)],
    },
  };
}

/** The samples every sink must render within its limits, one message each. */
export function sinkSamples(): SinkSample[] {
  return [
    { name: 'a liquidation', alerts: [{ kind: 'liquidation', rule: 'majors', events: [event(0)], createdAt: SAMPLE_TIME }] },
    { name: 'a cascade of 50 liquidations', alerts: [sampleCascade()] },
    { name: 'an overflow digest', alerts: [sampleDigest()] },
    { name: 'a daily summary', alerts: [sampleSummary()] },
    { name: 'a summary of hostile exchanges and bases', alerts: [sampleSummary(true)] },
    { name: 'a hostile symbol', alerts: [{ kind: 'liquidation', rule: HOSTILE_TEXT, events: [hostileSymbol()], createdAt: SAMPLE_TIME }] },
  ];
}

/** `count` liquidation alerts to merge into one message (a sink's `maxAlertsPerMessage`). */
export function sampleBurst(count: number): Alert[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'liquidation', rule: 'burst', events: [event(i)], createdAt: SAMPLE_TIME + i * 1000 }));
}
