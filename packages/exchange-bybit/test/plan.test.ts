import { describe, expect, it } from 'vitest';
import { chunkTopics, CONNECTION_BUDGET_CHARS, planConnections, planRequests, REQUEST_BUDGET_CHARS, roomFor } from '../src/plan.js';
import { argsLength, liquidationTopic, topicRequest } from '../src/protocol.js';

const topics = (count: number, width = 8) =>
  Array.from({ length: count }, (_, i) => liquidationTopic(`S${String(i).padStart(width, '0')}USDT`));

describe('subscription planning', () => {
  it('spreads 650 topics over connections of at most topicsPerConnection, in order, none lost', () => {
    const all = topics(650);
    const plan = planConnections(all, 200);
    expect(plan.map((group) => group.length)).toEqual([200, 200, 200, 50]);
    expect(plan.flat()).toEqual(all);
  });

  it('keeps every connection under the 21,000-character args limit even with long symbols', () => {
    const long = topics(500, 60);
    for (const group of planConnections(long, 500)) expect(argsLength(group)).toBeLessThanOrEqual(CONNECTION_BUDGET_CHARS);
  });

  it('batches subscribe requests well under the limit', () => {
    const requests = planRequests(topics(200));
    expect(requests.flat()).toHaveLength(200);
    for (const batch of requests) {
      expect(argsLength(batch)).toBeLessThanOrEqual(REQUEST_BUDGET_CHARS);
      expect(topicRequest('subscribe', batch, 'sub-1').length).toBeLessThan(21_000 / 3);
    }
  });

  it('never makes an empty chunk, even for a topic longer than the budget', () => {
    expect(chunkTopics(['x'.repeat(50), 'y'], 10, 20)).toEqual([['x'.repeat(50)], ['y']]);
  });

  it('tells how many new topics still fit on a connection', () => {
    expect(roomFor(topics(195), topics(10), 200)).toBe(5);
    expect(roomFor([], topics(3), 200)).toBe(3);
  });
});
