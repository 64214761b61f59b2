/** A summary alert as the webhook receiver gets it: the alert with its statistics, and the text. */
import { createFormatter, type SummaryAlert } from '@liqmon/core';
import { sampleSummary } from '@liqmon/core/testing';
import { describe, expect, it } from 'vitest';
import { payloadOf } from '../src/payload.js';

describe('a summary payload', () => {
  it('carries kind, rule, period and statistics, and the plain text', () => {
    const payload = JSON.parse(payloadOf(sampleSummary(), createFormatter())) as SummaryAlert & { text: string };
    expect(payload).toMatchObject({ kind: 'summary', rule: 'daily', events: [], periodMs: 86_400_000 });
    expect(payload.stats).toMatchObject({ count: 96_500, totalUsd: 1_240_000_000, sampledExchanges: ['binance'] });
    expect(payload.text.split('\n')[0]).toBe('📊 24h: $1.24B liquidated, 68% longs');
  });
});
