import { request } from 'node:http';
import { sampleLiquidation } from '@liqmon/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventStream, sseFrame, type StreamResponse } from '../src/index.js';
import { serveDashboard, type Served } from './helpers.js';

const served: Served[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const s of served.splice(0)) await s.close();
});

/** Open `/api/stream` and collect what arrives. */
function openStream(url: string): Promise<{ text: () => string; next: (pattern: string) => Promise<void>; close: () => void; status: number; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let text = '';
      const waiting = new Set<() => void>();
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        for (const check of waiting) check();
      });
      resolve({
        status: res.statusCode ?? 0,
        type: res.headers['content-type'],
        text: () => text,
        next: (pattern) =>
          new Promise<void>((done) => {
            const check = () => {
              if (!text.includes(pattern)) return;
              waiting.delete(check);
              done();
            };
            waiting.add(check);
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The events of an SSE text: name and parsed data. */
function parseFrames(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const lines = block.split('\n');
      return { event: lines.find((l) => l.startsWith('event: '))!.slice(7), data: JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as unknown };
    });
}

describe('/api/stream', () => {
  it('sends liquidation, alert and delivery events as SSE frames of one-line JSON, filtered per viewer', async () => {
    const s = await serveDashboard({ stream: { flushMs: 1 } });
    served.push(s);
    const all = await openStream(`${s.url}/api/stream`);
    const shorts = await openStream(`${s.url}/api/stream?side=short&minUsd=1k`);
    expect(all.status).toBe(200);
    expect(all.type).toBe('text/event-stream; charset=utf-8');
    await all.next('retry: 2000');

    const long = sampleLiquidation({ side: 'long', symbol: 'BTC\nUSDT' });
    const short = sampleLiquidation({ side: 'short', id: 'short-1' });
    s.dashboard.onEvent(long);
    s.dashboard.onEvent(short);
    const alert = { rule: 'all', kind: 'liquidation' as const, events: [short], createdAt: short.receivedAt };
    s.dashboard.onAlert(alert, ['out']);
    s.dashboard.onDelivered('out', [alert]);
    await all.next('event: delivery');
    await shorts.next('event: delivery');

    expect(parseFrames(all.text())).toEqual([
      { event: 'liquidation', data: long },
      { event: 'liquidation', data: short },
      { event: 'alert', data: expect.objectContaining({ id: '1', rule: 'all', deliveries: [{ sink: 'out', outcome: 'pending' }] }) },
      { event: 'delivery', data: { alertId: '1', delivery: { sink: 'out', outcome: 'sent' } } },
    ]);
    // A newline inside exchange text stays inside the JSON string: it cannot end the frame.
    expect(all.text()).toContain('"symbol":"BTC\\nUSDT"');
    expect(parseFrames(shorts.text()).map((f) => f.event)).toEqual(['liquidation', 'alert', 'delivery']);
    all.close();
    shorts.close();
  });

  it('refuses viewers past the limit with 503', async () => {
    const s = await serveDashboard({ stream: { maxViewers: 1 } });
    served.push(s);
    const first = await openStream(`${s.url}/api/stream`);
    const second = await fetch(`${s.url}/api/stream`);
    expect(second.status).toBe(503);
    expect(await second.json()).toEqual({ error: 'too many viewers of the event stream; close another page and retry' });
    first.close();
  });
});

/** A response that never drains: what a viewer that stopped reading looks like to the server. */
function stalledResponse() {
  const written: string[] = [];
  let destroyed = false;
  const res: StreamResponse & { written: string[]; destroyed: () => boolean } = {
    written,
    destroyed: () => destroyed,
    get writableLength() {
      return written.reduce((n, chunk) => n + chunk.length, 0);
    },
    writeHead: () => res,
    write: (chunk) => {
      written.push(chunk);
      return false;
    },
    destroy: () => {
      destroyed = true;
    },
    once: () => res,
  };
  return res;
}

describe('EventStream', () => {
  it('drops a viewer that does not read once its backlog passes the limit, and keeps serving the others', () => {
    vi.useFakeTimers();
    const stream = new EventStream({ maxBufferedBytes: 10_000, flushMs: 100 });
    const stalled = stalledResponse();
    const reading = { ...stalledResponse(), writableLength: 0 };
    stream.attach(stalled);
    stream.attach(reading);
    const event = sampleLiquidation();
    const frame = sseFrame('liquidation', event);
    let flushes = 0;
    while (!stalled.destroyed() && flushes < 1_000) {
      for (let i = 0; i < 10; i++) stream.publishLiquidation(event);
      vi.advanceTimersByTime(100);
      flushes++;
    }
    expect(stalled.destroyed()).toBe(true);
    // Never more than the limit waiting for it.
    expect(stalled.writableLength).toBeLessThanOrEqual(10_000);
    expect(stream.stats()).toMatchObject({ viewers: 1, dropped: 1 });
    // One write per flush for each viewer, however many events.
    expect(reading.written.slice(1, 3)).toEqual([frame.repeat(10), frame.repeat(10)]);
    stream.close();
  });

  it('writes a heartbeat comment to quiet viewers', () => {
    vi.useFakeTimers();
    const stream = new EventStream({ heartbeatMs: 15_000 });
    const res = { ...stalledResponse(), writableLength: 0 };
    stream.attach(res);
    vi.advanceTimersByTime(14_999);
    expect(res.written).toEqual(['retry: 2000\n: liqmon event stream\n\n']);
    vi.advanceTimersByTime(1);
    expect(res.written.at(-1)).toBe(': heartbeat\n\n');
    stream.close();
  });
});
