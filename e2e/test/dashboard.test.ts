/**
 * The dashboard in a real browser (headless Chromium): the built `liqmon start` against a fake Binance,
 * its page at `/` of the `http:` server. A screenshot is kept in e2e/artifacts/.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBinance } from '@liqmon/core/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, collectPageErrors, launchChromium } from './browser.js';
import { cleanEnv, type CliRun, freePort, liqmon, liqmonRun } from './cli.js';

const binanceFixture = await readFile(new URL('./fixtures/binance.yaml', import.meta.url), 'utf8');
const TOKEN = 'e2e-dashboard-token-0123456789abcdef';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const folders: string[] = [];
const running: CliRun[] = [];
const fakes: FakeBinance[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  for (const fake of fakes.splice(0)) await fake.close().catch(() => undefined);
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `liqmon start` on the Binance fixture with this `http:` line; resolves once the source is up. */
async function startLiqmon(http: string, extraEnv: Record<string, string> = {}, rules = ''): Promise<{ run: CliRun; fake: FakeBinance; config: string; env: NodeJS.ProcessEnv }> {
  const fake = await FakeBinance.start();
  fakes.push(fake);
  const dir = await mkdtemp(join(tmpdir(), 'liqmon-dashboard-'));
  folders.push(dir);
  const config = join(dir, 'config.yaml');
  // The fixture turns the store off; here it is on (liqmon.db beside the config) for the history.
  await writeFile(config, binanceFixture.replace(/^store: false\n/m, '').replace(/^rules:\n/m, `http: ${http}\nrules:\n${rules}`));
  const env = cleanEnv({ FAKE_BINANCE_USDM: fake.usdmUrl, FAKE_BINANCE_COINM: fake.coinmUrl, FAKE_BINANCE_REST: fake.restUrl, ...extraEnv });
  const run = liqmon(['start', '-c', config], { env });
  running.push(run);
  await run.waitFor('source started');
  await fake.server.waitForClients(2);
  return { run, fake, config, env };
}

/**
 * Pixels of the chart's canvas in the given colours (run in the page, so written as page code: e2e
 * type-checks without the DOM library).
 */
const CHART_PIXELS = (colours: number[][]) => `((colours) => {
  const canvas = document.querySelector('#chart canvas');
  const context = canvas && canvas.getContext('2d');
  if (!context) return -1;
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  const near = (i, [r, g, b]) => Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12 && data[i + 3] > 200;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) if (colours.some((colour) => near(i, colour))) count++;
  return count;
})(${JSON.stringify(colours)})`;

/** Pixels of the longs' and shorts' colours, or of `colour`. */
function chartPixels(page: Page, colour?: number[]): Promise<number> {
  return page.evaluate(CHART_PIXELS(colour ? [colour] : [[0xf8, 0x71, 0x71], [0x34, 0xd3, 0x99]])) as Promise<number>;
}

describe('the dashboard', () => {
  it('loads without console errors, shows a pushed liquidation within a second, filters, draws the chart and the alert', { timeout: 60_000 }, async () => {
    // A cascade rule first (it passes every event on): two liquidations adding up to $30K make one.
    const cascade = '  - { name: cascade, aggregate: { window: 60s, by: [], minUsd: 30k, minCount: 2 }, continue: true, to: [out] }\n';
    const { run, fake, config, env } = await startLiqmon('{ port: 0 }', {}, cascade);
    const pattern = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
    await run.waitFor(pattern);
    const url = pattern.exec(run.stderr())![1]!;

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = collectPageErrors(page);
    await page.goto(`${url}/`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await page.locator('#sources', { hasText: 'connected' }).waitFor();
    // The store is on (liqmon.db beside the config): feed, chart and totals start from it.
    await page.locator('#totals-24h', { hasText: 'shorts' }).waitFor();
    expect(await page.locator('#history-note').isHidden()).toBe(true);

    // A short liquidated on Binance (order side BUY): in the feed within a second.
    fake.pushUsdm({ symbol: 'ETHUSDT', side: 'BUY', filled: '2', price: '3000' });
    const ethRow = page.locator('#feed tbody tr', { hasText: 'ETHUSDT' });
    await ethRow.waitFor({ timeout: 1_000 });
    expect(await ethRow.getAttribute('class')).toBe('short');
    expect(await ethRow.innerText()).toMatch(/binance\s+ETHUSDT\s*sampled\s+short\s+\$6K\s+3,000\s*fill/);

    // The alert of rule `all`, delivered to the console sink.
    await page.locator('#alerts li', { hasText: 'out: sent' }).waitFor();
    expect(await page.locator('#alerts li').first().innerText()).toContain('all');

    // The chart draws the minute's bar (redrawn once a second).
    await expect.poll(() => chartPixels(page), { timeout: 5_000 }).toBeGreaterThan(0);
    // Totals since the page opened (no store): $6K, all shorts, all Binance.
    await expect.poll(() => page.locator('#totals-1h').innerText()).toMatch(/all\s+\$6K\s+100%\s+1/);
    expect(await page.locator('#totals-1h').innerText()).toMatch(/shorts\s+\$6K\s+100%\s+1/);

    // Filter on longs: the short disappears, a long appears; the filter is in the URL.
    await page.selectOption('#filters select[name=side]', 'long');
    await expect.poll(() => page.locator('#feed tbody tr', { hasText: 'ETHUSDT' }).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('side')).toBe('long');
    fake.pushUsdm({ symbol: 'BTCUSDT', side: 'SELL', filled: '0.5', price: '60000' });
    await page.locator('#feed tbody tr', { hasText: 'BTCUSDT' }).waitFor();
    fake.pushUsdm({ symbol: 'ETHUSDT', side: 'BUY', filled: '1', price: '3000' });
    await page.locator('#alerts li', { hasText: '$3K' }).waitFor();
    expect(await page.locator('#feed tbody tr', { hasText: 'ETHUSDT' }).count()).toBe(0);

    // The BTC long made the window reach $30K: a cascade alert, marked on the chart in yellow.
    await page.locator('#alerts li.cascade', { hasText: 'cascade' }).waitFor();
    await expect.poll(() => chartPixels(page, [0xfb, 0xbf, 0x24]), { timeout: 5_000 }).toBeGreaterThan(0);

    await page.screenshot({ path: join(artifactsDir(), 'dashboard.png'), fullPage: true });

    // The API reads the store: the three liquidations, newest first, filtered like the page.
    const stored = async (query: string) => ((await (await fetch(`${url}/api/liquidations?${query}`)).json()) as { symbol: string }[]).map((e) => e.symbol);
    await expect.poll(() => stored('since=1h')).toEqual(['ETHUSDT', 'BTCUSDT', 'ETHUSDT']);
    expect(await stored('side=long')).toEqual(['BTCUSDT']);
    const series = (await (await fetch(`${url}/api/series?since=10m`)).json()) as { points: { longUsd: number; shortUsd: number }[] };
    expect(series.points.reduce((sum, p) => sum + p.longUsd + p.shortUsd, 0)).toBe(6000 + 30_000 + 3000);
    // The same statistics as `liqmon stats --json`.
    const stats = (await (await fetch(`${url}/api/stats?since=1h&by=side`)).json()) as { count: number; totalUsd: number; groups: { key: string; totalUsd: number }[] };
    expect(stats).toMatchObject({ count: 3, totalUsd: 39_000, groups: [{ key: 'long', totalUsd: 30_000 }, { key: 'short', totalUsd: 9000 }] });
    const cli = await liqmonRun(['stats', '-c', config, '--since', '1h', '--by', 'side', '--json'], { env });
    expect(cli.code).toBe(0);
    expect({ ...(JSON.parse(cli.stdout) as object), since: 0, until: 0 }).toEqual({ ...stats, since: 0, until: 0 });

    // Reloading keeps the filter (it is read from the URL), and the feed comes back from the store.
    await page.reload();
    expect(await page.locator('#filters select[name=side]').inputValue()).toBe('long');
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await page.locator('#feed tbody tr', { hasText: 'BTCUSDT' }).waitFor();
    expect(await page.locator('#feed tbody tr').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on a non-loopback bind: refused without http.token; with it, 401 without the token, the cookie after ?token=', async () => {
    // Without a token the config is refused.
    const dir = await mkdtemp(join(tmpdir(), 'liqmon-dashboard-'));
    folders.push(dir);
    await writeFile(join(dir, 'config.yaml'), binanceFixture.replace(/^rules:/m, 'http: { port: 9464, host: 0.0.0.0 }\nrules:'));
    const refused = await liqmonRun(['validate', '-c', join(dir, 'config.yaml')], { env: cleanEnv({ FAKE_BINANCE_USDM: 'ws://127.0.0.1:1', FAKE_BINANCE_COINM: 'ws://127.0.0.1:1', FAKE_BINANCE_REST: 'http://127.0.0.1:1' }) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('http.host: 0.0.0.0 is reachable from other machines, so http.token is required');

    const port = await freePort();
    const { run, fake } = await startLiqmon(`{ port: ${port}, host: 0.0.0.0, token: "\${LIQMON_HTTP_TOKEN}" }`, { LIQMON_HTTP_TOKEN: TOKEN });
    const url = `http://127.0.0.1:${port}`;
    for (const path of ['/', '/api/stats', '/api/liquidations', '/api/alerts', '/api/stream', '/metrics']) {
      const response = await fetch(`${url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
    }
    expect((await fetch(`${url}/api/alerts`, { headers: { cookie: 'liqmon_session=guess' } })).status).toBe(401);
    expect((await fetch(`${url}/api/alerts?token=wrong-token-0123456789`)).status).toBe(401);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);

    // The browser gives the token once; it is swapped for a cookie and taken out of the address.
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const landed = await page.goto(`${url}/?token=${TOKEN}&side=short`);
    expect(landed?.status()).toBe(200);
    expect(page.url()).toBe(`${url}/?side=short`);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'liqmon_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(TOKEN);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    fake.pushUsdm({ symbol: 'ETHUSDT', side: 'BUY', filled: '2', price: '3000' });
    await page.locator('#feed tbody tr', { hasText: 'ETHUSDT' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout() + run.stderr()).not.toContain(TOKEN);
  });
});
