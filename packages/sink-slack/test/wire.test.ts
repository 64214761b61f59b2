/** What Slack gets from the sink (Block Kit, escaping, pacing) and what each of Slack's answers does. */
import { DeliveryError } from '@liqmon/core';
import { createSinkHarness, FakeHttpReceiver, hostileSymbol, sampleBurst, sampleDigest, sinkSamples } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import slack, { type SlackMessage } from '../src/index.js';

let receiver: FakeHttpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function setup(extra: Record<string, unknown> = {}) {
  receiver = await FakeHttpReceiver.start({ answer: { body: 'ok' } });
  const harness = createSinkHarness(slack, { webhookUrl: `${receiver.url}/services/T0/B0/tok3n`, minInterval: '0ms', ...extra });
  const send = (message: SlackMessage) => harness.instance.send(message, 'default', new AbortController().signal);
  return { harness, receiver, send };
}

const sent = (r: FakeHttpReceiver, i = 0) => JSON.parse(r.requests[i]?.body ?? '{}') as SlackMessage;

describe('Block Kit', () => {
  it('a liquidation: header, facts as fields, rule and time in a context block', async () => {
    const { harness, receiver, send } = await setup();
    await send(harness.instance.render(sinkSamples()[0]!.alerts));
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', path: '/services/T0/B0/tok3n', headers: { 'content-type': 'application/json' } });
    expect(sent(receiver)).toEqual({
      text: '🟠 BINANCE BTCUSDT Long liquidated $129K',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '🟠 BINANCE BTCUSDT Long liquidated $129K', emoji: true } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '💀' },
          fields: [
            { type: 'mrkdwn', text: '*Avg fill price*\n$64,250.1' },
            { type: 'mrkdwn', text: '*Size*\n2 BTC' },
            { type: 'mrkdwn', text: '*Time*\n12:34:56 UTC' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Rule *majors* · <!date^1717245296^{date_short} {time_secs}|2024-06-01 12:34:56 UTC>' }] },
      ],
    });
  });

  it('escapes &, < and > in mrkdwn so a symbol cannot mention @channel or a user, or link', async () => {
    const { harness, receiver, send } = await setup();
    await send(harness.instance.render([{ kind: 'liquidation', rule: '<!here>', events: [hostileSymbol()], createdAt: 0 }]));
    // mrkdwn (the fallback text, sections, fields, context) is escaped; the header is plain_text, which Slack never parses.
    const message = sent(receiver);
    const mrkdwn = JSON.stringify([message.text, ...message.blocks.filter((b) => b.type !== 'header')]);
    expect(mrkdwn).not.toMatch(/<!channel>|<@U123>|<!here>|<b>/);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(sent(receiver).text).toContain('&lt;b&gt;*_~`|[x](http://evil.test)&amp;amp;#+-=.!{}\\ @everyone &lt;!channel&gt; &lt;@U123&gt;');
    expect(sent(receiver).blocks[2]).toMatchObject({ elements: [{ text: expect.stringMatching(/^Rule \*&lt;!here&gt;\* · /) }] });
  });

  it('merges 10 alerts into 39 blocks (under 50) with dividers, and renders a digest', async () => {
    const { harness } = await setup();
    const merged = harness.instance.render(sampleBurst(10));
    expect(merged.blocks).toHaveLength(39);
    expect(merged.blocks.filter((b) => b.type === 'divider')).toHaveLength(9);
    expect(harness.instance.limits).toEqual({ maxMessageSize: 50, maxAlertsPerMessage: 10 });
    const digest = harness.instance.render([sampleDigest()]);
    expect(digest.blocks[0]).toMatchObject({ type: 'header' });
    expect(digest.text).toBe('🟠 +41 more liquidations, $4.2M in total');
  });
});

describe('pacing and answers', () => {
  it('sends at most one message per minInterval to a webhook', async () => {
    const { harness, receiver, send } = await setup({ minInterval: '300ms' });
    const message = harness.instance.render(sinkSamples()[0]!.alerts);
    await send(message);
    await send(message);
    const [first, second] = receiver.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(290); // a lower bound cannot flake
  });

  it("429: waits Slack's Retry-After without spending a try", async () => {
    const { harness, receiver, send } = await setup();
    receiver.answerNext({ status: 429, retryAfter: 3, body: 'rate_limited' });
    const error = await send(harness.instance.render(sinkSamples()[0]!.alerts)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retryable', rateLimited: true, retryAfterMs: 3000, message: 'Slack answered 429 (rate_limited): rate limited, retry after 3.0 s' });
  });

  it.each([
    [404, 'no_service', 'fatal', 'Slack refused the webhook (404 no_service)', 'The webhook was removed or its app disabled.'],
    [410, 'channel_is_archived', 'fatal', 'Slack refused the webhook (410 channel_is_archived)', "The webhook's channel is archived"],
    [403, 'action_prohibited', 'fatal', 'Slack refused the webhook (403 action_prohibited)', 'A workspace admin restricts'],
    [400, 'invalid_payload', 'rejected', 'Slack refused the message (400 invalid_payload)', 'This is a liqmon bug'],
    [500, 'rollup_error', 'retryable', 'Slack answered 500 (rollup_error)', undefined],
  ])('%i %s is %s, with what to do', async (status, reason, kind, message, hint) => {
    const { harness, receiver, send } = await setup();
    receiver.answerNext({ status, body: reason });
    const error = (await send(harness.instance.render(sinkSamples()[0]!.alerts)).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect([error.kind, error.message]).toEqual([kind, message]);
    if (hint) expect(error.hint).toContain(hint);
    expect(`${error.message}${error.hint ?? ''}`).not.toContain('tok3n');
  });

  it('refuses a URL that is not a webhook URL without echoing it', () => {
    const result = slack.options.safeParse({ webhookUrl: 'http://hooks.slack.com/services/T0/B0/leaky' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^must be a Slack incoming-webhook URL like https:\/\/hooks\.slack\.com\/services/);
    expect(JSON.stringify(result.error?.issues.map((i) => i.message))).not.toContain('leaky');
  });
});
