/** A summary alert as an ntfy notification. */
import { createSinkHarness, sampleSummary } from '@liqmon/core/testing';
import { describe, expect, it } from 'vitest';
import ntfy from '../src/index.js';

describe('a summary notification', () => {
  it('has the headline as title, the plain text as body, the bar chart tag and the default priority', () => {
    const harness = createSinkHarness(ntfy, { topic: 't' });
    const message = harness.instance.render([sampleSummary()]);
    expect(message.title).toBe('24h: $1.24B liquidated, 68% longs');
    expect(message.body.split('\n').slice(0, 2)).toEqual(['📊 24h: $1.24B liquidated, 68% longs', 'BINANCE 41%, BYBIT 33%, OKX 16%, BITGET 10%']);
    expect(message.body).toContain('BINANCE: only a sample of liquidations is reported, so totals are a lower bound');
    // On a schedule, however large the period's total: never an urgent ring at midnight.
    expect(message.priority).toBe(3);
    expect(message.tags).toEqual(['bar_chart']);
  });
});
