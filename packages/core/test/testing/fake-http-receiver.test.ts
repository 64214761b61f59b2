/** The fake HTTP receiver records what a sink sent and answers what the test scripts. */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeHttpReceiver } from '../../src/testing/index.js';

let receiver: FakeHttpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('FakeHttpReceiver', () => {
  it('records method, path, headers and body, and answers 200 by default', async () => {
    receiver = await FakeHttpReceiver.start();
    const response = await fetch(`${receiver.url}/hooks/a?x=1`, { method: 'PUT', headers: { 'x-title': 'hi', 'content-type': 'text/plain' }, body: 'héllo' });
    expect([response.status, await response.text()]).toEqual([200, '']);
    expect(receiver.requests).toMatchObject([{ method: 'PUT', path: '/hooks/a?x=1', body: 'héllo', outcome: 200, headers: { 'x-title': 'hi', 'content-type': 'text/plain' } }]);
  });

  it('answers queued replies in order (status, JSON body, Retry-After), then the default', async () => {
    receiver = await FakeHttpReceiver.start({ answer: { status: 204 } });
    receiver.answerNext({ status: 429, retryAfter: 7, body: { error: 'slow down' } }, (request) => ({ status: 400, body: `bad ${request.path}` }));
    const first = await fetch(receiver.url, { method: 'POST' });
    expect([first.status, first.headers.get('retry-after'), await first.json()]).toEqual([429, '7', { error: 'slow down' }]);
    const second = await fetch(`${receiver.url}/x`, { method: 'POST' });
    expect([second.status, await second.text()]).toEqual([400, 'bad /x']);
    expect((await fetch(receiver.url, { method: 'POST' })).status).toBe(204);
  });

  it('drops a connection without an answer, and delays one until the client gives up', async () => {
    receiver = await FakeHttpReceiver.start();
    receiver.answerNext({ drop: true }, { delayMs: 10_000 });
    await expect(fetch(receiver.url, { method: 'POST', body: 'a' })).rejects.toThrow('fetch failed');
    const controller = new AbortController();
    const delayed = fetch(receiver.url, { method: 'POST', body: 'b', signal: controller.signal });
    await receiver.waitForRequests(2);
    controller.abort();
    await expect(delayed).rejects.toThrow(/aborted/i);
    expect(receiver.requests.map((r) => [r.body, r.outcome])).toEqual([['a', 'dropped'], ['b', 'pending']]);
  });

  it('waits for requests and says how many came when they do not', async () => {
    receiver = await FakeHttpReceiver.start();
    const waiting = receiver.waitForRequests(2);
    await fetch(receiver.url, { method: 'POST' });
    await fetch(receiver.url, { method: 'POST' });
    expect(await waiting).toHaveLength(2);
    await expect(receiver.waitForRequests(3, 50)).rejects.toThrow('the fake HTTP receiver got 2 of 3 request(s) in 50 ms');
  });
});
