import { describe, expect, it } from 'vitest';
import { AlertQueue } from '../../src/delivery/alert-queue.js';

const filled = (count: number): AlertQueue<number> => {
  const queue = new AlertQueue<number>();
  for (let i = 0; i < count; i++) queue.push(i);
  return queue;
};

describe('AlertQueue', () => {
  it('keeps order through batches taken off the front, across compactions', () => {
    const queue = filled(5000);
    const taken: number[] = [];
    while (queue.length > 0) {
      const batch = queue.front(100);
      taken.push(...batch);
      queue.dropFront(batch.length);
      if (taken.length === 2500) for (let i = 5000; i < 5100; i++) queue.push(i); // arrivals meanwhile
    }
    expect(taken).toEqual(Array.from({ length: 5100 }, (_, i) => i));
    expect([...queue]).toEqual([]);
  });

  it('indexes from the oldest waiting item after some were taken', () => {
    const queue = filled(3000);
    queue.dropFront(2000); // compacted: 2000 taken >= 1000 waiting
    expect(queue.length).toBe(1000);
    expect(queue.front(2)).toEqual([2000, 2001]);
    expect(queue.indexOf(2005)).toBe(5);
    expect(queue.indexOf(5)).toBe(-1);
    expect(queue.findIndex((n) => n % 7 === 0, 3)).toBe(2009 - 2000);
    queue.dropFront(10); // not compacted: moves the head only
    expect(queue.indexOf(2010)).toBe(0);
    expect(queue.removeAt(1)).toBe(2011);
    queue.insertAt(1, -1);
    expect(queue.front(3)).toEqual([2010, -1, 2012]);
    expect([...queue].length).toBe(990);
  });

  it('never takes more than waits, and clears', () => {
    const queue = filled(3);
    queue.dropFront(10);
    expect(queue.length).toBe(0);
    queue.push(7);
    expect(queue.front(5)).toEqual([7]);
    queue.clear();
    expect(queue.length).toBe(0);
  });
});
