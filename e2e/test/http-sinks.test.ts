/**
 * The webhook, Slack and ntfy sinks through the built CLI: `liqmon start` with the Binance source on a
 * fake Binance and the sink on a FakeHttpReceiver from @liqmon/core/testing; the receiver gets the
 * liquidation as the service would, and no secret reaches the output. Run `npx turbo run build` first.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBinance, FakeHttpReceiver, type ReceivedRequest } from '@liqmon/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, liqmon } from './cli.js';

let binance: FakeBinance | undefined;
let receiver: FakeHttpReceiver | undefined;
let dir: string | undefined;
afterEach(async () => {
  await binance?.close();
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  binance = receiver = dir = undefined;
});

/** A recent whole second (core drops live events more than a day from their receive time). */
const TIME = Math.floor(Date.now() / 1000) * 1000 - 60_000;
/** TIME as the messages show it. */
const SHOWN_TIME = new Date(TIME).toISOString().slice(11, 19);

/**
 * Start liqmon with `sink` (one YAML flow mapping) as the only sink of a rule taking everything from $1k,
 * push one BTCUSDT liquidation ($128.5K long), and resolve with the first request the receiver got.
 */
async function deliverOne(sink: (receiver: FakeHttpReceiver) => string, env: Record<string, string> = {}, answer?: Parameters<typeof FakeHttpReceiver.start>[0]) {
  binance = await FakeBinance.start();
  receiver = await FakeHttpReceiver.start(answer);
  dir = await mkdtemp(join(tmpdir(), 'liqmon-http-sink-'));
  const e = binance.endpoints();
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    [
      'sources:',
      `  binance: { use: binance, markets: [usdm], usdmUrl: "${e.usdmUrl}", usdmRestUrl: "${e.usdmRestUrl}", coinmUrl: "${e.coinmUrl}", coinmRestUrl: "${e.coinmRestUrl}" }`,
      'sinks:',
      `  out: ${sink(receiver)}`,
      'rules:',
      '  - name: all',
      '    minUsd: 1k',
      '    to: [out]',
      '',
    ].join('\n'),
  );
  const run = liqmon(['start', '-c', file], { env: cleanEnv(env) });
  const started = Date.now();
  while (binance.server.clients.size === 0) {
    if (Date.now() - started > 15_000) throw new Error(`the source never connected\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  binance.pushUsdm({ symbol: 'BTCUSDT', side: 'SELL', filled: '2', price: '64250.1', time: TIME });
  const [request] = await receiver.waitForRequests(1, 15_000);
  run.child.kill('SIGTERM');
  const code = await run.exited;
  return { request: request as ReceivedRequest, code, output: run.stdout() + run.stderr(), stdout: run.stdout() };
}

describe('liqmon start delivers a liquidation', () => {
  it('to a webhook: the alert as signed JSON', async () => {
    const secret = 'e2e-signing-secret-0123456789abcdef';
    const { request, code, output, stdout } = await deliverOne((r) => `{ use: webhook, url: "${r.url}/hook/\${HOOK_TOKEN}", secret: "\${HOOK_SECRET}", headers: { Authorization: "Bearer \${HOOK_KEY}" } }`, {
      HOOK_TOKEN: 'path-token-7h3k',
      HOOK_SECRET: secret,
      HOOK_KEY: 'receiver-key-5521',
    });
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect([request.method, request.path, request.headers.authorization]).toEqual(['POST', '/hook/path-token-7h3k', 'Bearer receiver-key-5521']);
    const body = JSON.parse(request.body) as { rule: string; kind: string; events: { symbol: string; side: string; notionalUsd: number; time: number }[]; text: string };
    expect(body).toMatchObject({ rule: 'all', kind: 'liquidation', events: [{ symbol: 'BTCUSDT', side: 'long', notionalUsd: 128_500.2, time: TIME }] });
    expect(body.text.split('\n')[0]).toBe('🟠 BINANCE BTCUSDT Long liquidated $129K 💀');
    const timestamp = request.headers['x-liqmon-timestamp'];
    expect(request.headers['x-liqmon-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
    for (const value of ['path-token-7h3k', secret, 'receiver-key-5521']) expect(output).not.toContain(value);
  });

  it('to Slack: a Block Kit message', async () => {
    const { request, code, output } = await deliverOne((r) => `{ use: slack, webhookUrl: "${r.url}/services/T0/B0/\${SLACK_TOKEN}" }`, { SLACK_TOKEN: 'slack-e2e-token' }, { answer: { body: 'ok' } });
    expect(output).not.toContain('slack-e2e-token');
    expect(code).toBe(0);
    expect(request.path).toBe('/services/T0/B0/slack-e2e-token');
    const message = JSON.parse(request.body) as { text: string; blocks: { type: string }[] };
    expect(message.text).toBe('🟠 BINANCE BTCUSDT Long liquidated $129K');
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });

  it('to ntfy: a notification with title, priority and tags', async () => {
    const { request, code, output } = await deliverOne((r) => `{ use: ntfy, url: "${r.url}", topic: liqmon-e2e-x9, token: "\${NTFY_TOKEN}", priority: { high: 100k } }`, { NTFY_TOKEN: 'tk_e2etoken0123456789' });
    expect(code).toBe(0);
    expect(request).toMatchObject({ method: 'POST', path: '/liqmon-e2e-x9', body: `🟠 BINANCE BTCUSDT Long liquidated $129K 💀\nAvg fill price $64,250.1 · 2 BTC · ${SHOWN_TIME} UTC` });
    expect(request.headers).toMatchObject({ 'x-title': 'BINANCE BTCUSDT Long liquidated $129K', 'x-priority': '4', 'x-tags': 'skull,long', authorization: 'Bearer tk_e2etoken0123456789' });
    expect(output).not.toContain('tk_e2etoken0123456789');
  });
});
