/** Stand-ins for a running runtime: sources and delivery stats the ops tests set by hand. */
import type { Alert, DeliveryStats, Liquidation, OutboxStats, SourceHealth } from '@liqmon/core';
import { emptyOutboxStats, sampleLiquidation, type SourceStats } from '@liqmon/core/runtime';

export type FakeSourceHealth = SourceHealth & SourceStats;
/** What a test sets; the counters added later (invalid, oversized, unknownInstrument) default to none. */
type FakeState = Omit<FakeSourceHealth, 'invalid' | 'invalidByReason' | 'oversized' | 'unknownInstrument'> & Partial<FakeSourceHealth>;

export class FakeSource {
  state: FakeState = { connected: true, reconnects: 0, frames: 0, events: 0, malformed: 0, restarts: 0 };
  constructor(readonly name: string) {}
  health(): FakeSourceHealth {
    return { invalid: 0, invalidByReason: {}, oversized: 0, unknownInstrument: 0, ...this.state };
  }
}

export function outbox(overrides: Partial<OutboxStats> = {}): OutboxStats {
  const empty = emptyOutboxStats();
  return { ...empty, ...overrides, failed: { ...empty.failed, ...overrides.failed } };
}

/** A runtime-shaped target whose numbers the test changes. */
export class FakeTarget {
  readonly sources: FakeSource[];
  deliveryStats: DeliveryStats = { sinks: {} };
  deduped = 0;
  constructor(sourceNames: string[]) {
    this.sources = sourceNames.map((name) => new FakeSource(name));
  }
  readonly delivery = { stats: (): DeliveryStats => this.deliveryStats };
  readonly rules = {
    stats: () => ({ received: 0, deduped: this.deduped, unmatched: 0, dedupeSize: 0, rules: {} }),
  };
  source(name: string): FakeSource {
    const source = this.sources.find((s) => s.name === name);
    if (!source) throw new Error(`no source ${name}`);
    return source;
  }
}

export function liquidation(overrides: Partial<Liquidation> = {}): Liquidation {
  return sampleLiquidation({ id: 'binance:usdm:BTCUSDT:1', price: 50_000, quantity: 1, notionalUsd: 50_000, time: 1_000, source: 'binance', ...overrides });
}

export function alert(events: Liquidation[], rule = 'majors'): Alert {
  return { kind: 'liquidation', rule, events, createdAt: events[0]?.receivedAt ?? 0 };
}
