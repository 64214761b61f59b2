/** A summary alert as Slack shows it: the headline as header, the period's facts as fields. */
import { createSinkHarness, sampleSummary } from '@liqmon/core/testing';
import { describe, expect, it } from 'vitest';
import slack from '../src/index.js';

describe('a summary in Block Kit', () => {
  it('has the headline as header and notification, the facts as fields, and the rule in the context', () => {
    const harness = createSinkHarness(slack, { webhookUrl: 'http://127.0.0.1:1/services/T0/B0/x' });
    const message = harness.instance.render([sampleSummary()]);
    expect(message.text).toBe('📊 24h: $1.24B liquidated, 68% longs');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '📊 24h: $1.24B liquidated, 68% longs', emoji: true } });
    const section = message.blocks[1];
    expect(section?.type === 'section' && section.fields?.map((f) => f.text)).toEqual([
      '*Liquidations*\n96,500',
      '*Longs*\n$843M (68%)',
      '*Shorts*\n$397M (32%)',
      '*Exchanges*\nBINANCE 41%, BYBIT 33%, OKX 16%, BITGET 10%',
      '*Top*\nBTC $420M, ETH $310M, SOL $150M, DOGE $60M, 1000PEPE $40M',
      '*Sizes*\nmin $1 · median $2.15K · average $12.8K · max $12.4M',
      '*Period*\n2024-06-01 00:00–2024-06-02 00:00 UTC',
    ]);
    expect(JSON.stringify(message.blocks[2])).toContain('Rule *daily*');
  });
});
