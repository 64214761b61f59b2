/** The shared source contract (core's conformance kit), run against the fake Bybit. */
import type { RawFrame } from '@liqmon/core';
import { FakeBybit, sourceConformance, type FakeExchangeServer } from '@liqmon/core/testing';
import { describe, it } from 'vitest';
import bybit from '../src/index.js';
import { fixtureLines } from './fixtures.js';

const fakes = new WeakMap<FakeExchangeServer, FakeBybit>();
const frames = (file: string, channel: string, lines?: number[]): RawFrame[] =>
  fixtureLines(file)
    .filter((_, index) => lines === undefined || lines.includes(index + 1))
    .map((data, index) => ({ channel, data, receivedAt: 1_800_000_000_000 + index }));

describe('Bybit source conformance', () => {
  const checks = sourceConformance({
    definition: bybit,
    fake: async () => {
      const fake = await FakeBybit.start({ linear: ['BTCUSDT', 'ETHUSDT'], inverse: ['BTCUSD'] });
      fakes.set(fake.server, fake);
      return fake.server;
    },
    options: (server) => ({ wsUrl: server.wsUrl, restUrl: server.httpUrl }),
    emit: (server) => {
      fakes.get(server)?.liquidation('linear', 'BTCUSDT', { size: '0.01', price: '60000' });
    },
    fixtures: [
      ...frames('bybit-linear.jsonl', 'linear'),
      ...frames('bybit-inverse.jsonl', 'inverse'),
      ...frames('bybit.docs.jsonl', 'linear', [1, 2]),
    ],
    control: [...frames('bybit.control.jsonl', 'linear'), ...frames('bybit.docs.jsonl', 'inverse', [3, 4, 5])],
    // Bybit closes a connection after about 10 minutes without {"op":"ping"}; a short staleAfter shortens the heartbeat.
    keepAlive: { idleTimeout: 800, options: { staleAfter: '1s' } },
  });
  for (const check of checks) it(check.name, check.run);
});
