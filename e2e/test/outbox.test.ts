/**
 * The outbox survives a crash: `liqmon start` with a fake Binance and a slow fake Telegram (paced, one
 * alert per message) builds a backlog. Killed with SIGKILL while a message is in flight (the chat shows
 * it, liqmon never got the answer), or stopped with SIGTERM past its shutdown deadline, then started
 * again with the same config and store, it delivers every alert in order, and none twice but the one
 * in flight at the kill. What is older than `delivery.maxAge` at the restart goes out as one digest.
 * The same when the database could not be written at all before the kill (the journal's log held the
 * alerts). `liqmon replay --send` with the same config neither sends nor marks what the journal holds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_TELEGRAM_TOKEN, FakeBinance, FakeTelegram } from '@liqmon/core/testing';
import { openDatabase } from '@liqmon/store';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, type CliRun, freePort, liqmon, liqmonRun } from './cli.js';

const CHAT = '-1001234567890';
/** Ten instruments, one liquidation each: the base names which alert a message carries. */
const BASES = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH', 'III', 'JJJ'];
const RECORDING = fileURLToPath(new URL('./fixtures/liquidations.ndjson', import.meta.url));

let binance: FakeBinance | undefined;
let telegram: FakeTelegram | undefined;
let dir: string | undefined;
const runs: CliRun[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  await binance?.close();
  await telegram?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  binance = telegram = dir = undefined;
});

/** Fakes, a folder and its config: Telegram paced at `pacing` per message, one alert per message. */
async function setup(extra: { shutdownTimeout?: string; maxAge?: string; pacing?: string; port?: number } = {}): Promise<string> {
  binance = await FakeBinance.start({
    usdmExchangeInfo: { symbols: BASES.map((base) => ({ symbol: `${base}USDT`, pair: `${base}USDT`, contractType: 'PERPETUAL', baseAsset: base, quoteAsset: 'USDT' })) },
  });
  telegram = await FakeTelegram.start({ chats: [CHAT], rateLimit: false });
  dir = mkdtempSync(join(tmpdir(), 'liqmon-outbox-e2e-'));
  const { usdmUrl, coinmUrl, usdmRestUrl, coinmRestUrl } = binance.endpoints();
  const pacing = extra.pacing ?? '100ms';
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      'sources:',
      `  binance: { use: binance, markets: [usdm], usdmUrl: "${usdmUrl}", coinmUrl: "${coinmUrl}", usdmRestUrl: "${usdmRestUrl}", coinmRestUrl: "${coinmRestUrl}", reconnectDelay: 100ms }`,
      'sinks:',
      `  telegram: { use: telegram, token: "\${TELEGRAM_BOT_TOKEN}", chatId: "${CHAT}", apiUrl: "${telegram.apiUrl}", pacing: { chat: ${pacing}, group: ${pacing} } }`,
      'rules:',
      '  - name: everything',
      '    minUsd: 1',
      '    to: [telegram]',
      `delivery: { maxAlertsPerMessage: 1, maxAge: ${extra.maxAge ?? '1h'} }`,
      `shutdownTimeout: ${extra.shutdownTimeout ?? '10s'}`,
      ...(extra.port !== undefined ? [`http: { port: ${extra.port} }`] : []),
      '',
    ].join('\n'),
  );
  return file;
}

const env = () => cleanEnv({ TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN });

function start(config: string): CliRun {
  const run = liqmon(['start', '-c', config], { env: env() });
  runs.push(run);
  return run;
}

/** The base each message Telegram received names, in order (the whole text when none). */
const received = () => telegram!.messagesTo(CHAT).map((message) => BASES.find((base) => message.text.includes(`${base}USDT`)) ?? message.text);

async function until(ready: () => boolean, run: CliRun, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out; Telegram has ${received().join(' ')}\n--- stderr\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Start liqmon and push one liquidation per base, in order: the rules turn them into 10 alerts at once. */
async function startWithBacklog(config: string): Promise<CliRun> {
  const run = start(config);
  await run.waitFor('source started');
  await binance!.server.waitForClients(1, '/market/', 15_000);
  const t0 = Date.now();
  BASES.forEach((base, i) => binance!.pushUsdm({ symbol: `${base}USDT`, price: '100', filled: '1000', time: t0 + i }));
  return run;
}

/** The outbox table as it stands, row by row. */
function outboxRows(config: string): unknown[] {
  const db = openDatabase(join(config, '..', 'liqmon.db'), { readonly: true });
  try {
    return db.prepare('SELECT key, alert_id, destination, state, reason FROM outbox ORDER BY key').all();
  } finally {
    db.close();
  }
}

/**
 * SIGKILL once `delivered` messages were answered and the next one is in flight: the chat has it,
 * liqmon is still waiting for the answer. Returns the base of that message.
 */
async function killWithOneInFlight(run: CliRun, delivered: number): Promise<string> {
  await until(() => telegram!.messages.length >= delivered, run);
  telegram!.holdReplies();
  await until(() => telegram!.messages.length === delivered + 1, run);
  run.child.kill('SIGKILL');
  await run.exited;
  telegram!.releaseReplies();
  return received()[delivered]!;
}

describe('the outbox across a crash', () => {
  it('after SIGKILL mid-backlog, a restart sends every alert once and in order, and the message in flight again', async () => {
    const port = await freePort();
    const config = await setup({ port });
    const first = await startWithBacklog(config);
    const inFlight = await killWithOneInFlight(first, 3);
    expect(received()).toEqual(BASES.slice(0, 4));
    expect(inFlight).toBe('DDD');

    const second = start(config);
    await second.waitFor(`sending 7 alert(s) the last run left undelivered for telegram/${CHAT}`);
    await until(() => received().length === BASES.length + 1, second);
    // Exactly one repeat: the message the chat had when liqmon died waiting for its answer.
    expect(received()).toEqual([...BASES.slice(0, 4), 'DDD', ...BASES.slice(4)]);
    expect(telegram!.requests.filter((request) => request.status !== 200)).toEqual([]);

    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string; journal: unknown };
    expect(health.status).toBe('ok');
    expect(health.journal).toEqual({ state: 'ok', recovered: 7, failures: 0, pending: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('liqmon_journal_up 1');
    expect(metrics).toContain('liqmon_journal_recovered_alerts_total 7');
    expect(metrics).toContain('liqmon_journal_pending_alerts 0');
    const status = await liqmonRun(['status', '-c', config], { env: env() });
    expect(status.stdout).toContain('outbox journal\n  on  pending 0  recovered at start 7  failures 0\n');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // Nothing is left for a later start: every row is marked delivered.
    expect(outboxRows(config)).toEqual(BASES.map(() => expect.objectContaining({ state: 'delivered', destination: CHAT })));
  });

  it('loses nothing to a kill while the database cannot be written: the journal log held the alerts', async () => {
    const config = await setup();
    const run = start(config);
    await run.waitFor('source started');
    await binance!.server.waitForClients(1, '/market/', 15_000);
    // Another process holds the write lock: the writer thread commits nothing until the kill, so
    // the alerts are only in the journal's log, and delivery does not wait for the database.
    const other = openDatabase(join(config, '..', 'liqmon.db'));
    other.exec('BEGIN IMMEDIATE');
    const t0 = Date.now();
    BASES.forEach((base, i) => binance!.pushUsdm({ symbol: `${base}USDT`, price: '100', filled: '1000', time: t0 + i }));
    await killWithOneInFlight(run, 3);
    other.exec('ROLLBACK');
    other.close();
    expect(outboxRows(config)).toEqual([]); // nothing reached the table

    const second = start(config);
    await second.waitFor('read back 13 change(s) the last run logged'); // 10 alerts written, 3 delivered
    await second.waitFor(`sending 7 alert(s) the last run left undelivered for telegram/${CHAT}`);
    await until(() => received().length === BASES.length + 1, second);
    expect(received()).toEqual([...BASES.slice(0, 4), 'DDD', ...BASES.slice(4)]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(outboxRows(config)).toEqual(BASES.map(() => expect.objectContaining({ state: 'delivered', destination: CHAT })));
  });

  it('after SIGTERM with a backlog past the shutdown deadline, a restart sends the rest', async () => {
    const config = await setup({ shutdownTimeout: '500ms', pacing: '300ms' });
    const first = await startWithBacklog(config);
    await until(() => telegram!.messages.length >= 1, first);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const atStop = received().length;
    expect(atStop).toBeLessThan(BASES.length);
    const left = new RegExp(`shutdown deadline: (\\d+) alert\\(s\\) for telegram/${CHAT} not delivered`).exec(first.stderr());
    expect(left).not.toBeNull();

    // What the deadline left is exactly what the restart sends.
    const second = start(config);
    await second.waitFor(`sending ${left![1]} alert(s) the last run left undelivered for telegram/${CHAT}`);
    await until(() => new Set(received()).size === BASES.length, second);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const messages = received();
    // In order, each once; a repeat only of the message the deadline cut off mid-request, if any.
    expect([...new Set(messages)]).toEqual(BASES);
    const repeats = messages.filter((base, i) => messages.indexOf(base) !== i);
    expect(repeats.length).toBeLessThanOrEqual(1);
    if (repeats.length === 1) expect(messages.indexOf(repeats[0]!)).toBe(atStop - 1);
  });

  it('sends what is older than delivery.maxAge at the restart as one digest', async () => {
    const config = await setup({ maxAge: '1ms' });
    const first = await startWithBacklog(config);
    await killWithOneInFlight(first, 0);
    expect(received()).toEqual(['AAA']);

    const second = start(config);
    await second.waitFor(`sending 10 alert(s) the last run left undelivered for telegram/${CHAT}; 10 older than delivery.maxAge go as one digest`);
    await until(() => received().length === 2, second);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const digest = telegram!.messagesTo(CHAT)[1]!.text;
    expect(digest).toMatch(/10 more liquidations/);
    expect(digest).toContain('+10 more liquidations, $1M in total'); // 10 x $100k
    expect(received()).toHaveLength(2);
    expect(outboxRows(config)).toEqual(BASES.map(() => expect.objectContaining({ state: 'settled', reason: 'digest' })));
  });

  it('liqmon replay --send neither sends nor marks what the journal holds', async () => {
    const config = await setup();
    const first = await startWithBacklog(config);
    await killWithOneInFlight(first, 1);
    const before = outboxRows(config);
    expect(before.filter((row) => (row as { state: string }).state === 'pending')).toHaveLength(9);

    const replay = await liqmonRun(['replay', RECORDING, '-c', config, '--send', '--speed', 'max'], { env: env() });
    expect(replay.code).toBe(0);
    const afterReplay = received();
    expect(afterReplay.length).toBeGreaterThan(2); // the recording's alerts were sent
    expect(afterReplay.slice(2).filter((text) => BASES.includes(text))).toEqual([]); // none of the journal's
    expect(outboxRows(config)).toEqual(before);
  });
});
