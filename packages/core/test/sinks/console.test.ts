/**
 * The console sink (issue 14, item 17): `format: auto` (the default) prints readable text on a terminal
 * and JSON lines otherwise, so `liqmon start | jq` works; `pretty` and `json` force one or the other.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert.js';
import { createFormatter } from '../../src/format/index.js';
import { consoleSink, createConsoleSink, type ConsoleOutput } from '../../src/sinks/console.js';
import { createMemoryLogger } from '../../src/testing/index.js';
import { liq, T0 } from '../rules/liquidations.js';

const alert: Alert = { kind: 'liquidation', rule: 'majors', events: [liq({ usd: 250_000 })], createdAt: T0 };
const context = { name: 'console', logger: createMemoryLogger('debug').logger, signal: new AbortController().signal, secrets: { add() {} }, formatter: createFormatter() };

/** Print `alerts` through a console sink with `format` on an output that is a terminal or not. */
async function print(format: string | undefined, isTTY: boolean, alerts: readonly Alert[] = [alert]): Promise<{ out: string; perMessage: number | undefined }> {
  let out = '';
  const output: ConsoleOutput = { isTTY, write: (text, done) => ((out += text), done()) };
  const sink = createConsoleSink(consoleSink.options.parse(format ? { format } : {}), context, output);
  await sink.send(sink.render(alerts), 'default', new AbortController().signal);
  return { out, perMessage: sink.limits?.maxAlertsPerMessage };
}

describe('console sink', () => {
  it('defaults to auto: readable text on a terminal, one alert per message', async () => {
    const { out, perMessage } = await print(undefined, true);
    expect(out).toBe(`${createFormatter().plain([alert])}\n`);
    expect(perMessage).toBe(1);
  });

  it('defaults to auto: JSON lines when stdout is not a terminal (a pipe into jq)', async () => {
    const { out, perMessage } = await print(undefined, false, [alert, alert]);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => JSON.parse(line).rule)).toEqual(['majors', 'majors']);
    expect(perMessage).toBe(100);
  });

  it('prints readable text when the config asks for pretty, and JSON when it asks for json, whatever stdout is', async () => {
    expect((await print('pretty', false)).out).toBe(`${createFormatter().plain([alert])}\n`);
    expect(JSON.parse((await print('json', true)).out).events[0].symbol).toBe('BTCUSDT');
  });

  it('stops for good when its reader has gone', async () => {
    const output: ConsoleOutput = { isTTY: false, write: (_text, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) };
    const sink = createConsoleSink({ format: 'json' }, context, output);
    await expect(sink.send('x', 'default', new AbortController().signal)).rejects.toMatchObject({ kind: 'fatal', message: 'standard output is closed (EPIPE)' });
  });
});
