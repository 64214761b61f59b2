/** The writer thread's queue: bounded, oldest first, and cut behind its head under a feed that never lets it empty. */
import { describe, expect, it } from 'vitest';
import { RowQueue } from '../src/thread/row-queue.js';

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('RowQueue', () => {
  it('gives items back oldest first, in chunks', () => {
    const queue = new RowQueue<number>(100, 50);
    expect(queue.push(range(0, 7))).toBe(0);
    expect(queue.take(3)).toEqual([0, 1, 2]);
    queue.push(range(7, 2));
    expect(queue.take(10)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(queue.length).toBe(0);
    expect(queue.take(5)).toEqual([]);
  });

  it('refuses the newest items beyond its bound, and takes again once there is room', () => {
    const queue = new RowQueue<number>(5, 50);
    expect(queue.push(range(0, 4))).toBe(0);
    expect(queue.push(range(4, 3))).toBe(2); // 4 fits; 5 and 6 are refused
    expect(queue.length).toBe(5);
    queue.take(2);
    expect(queue.push(range(7, 3))).toBe(1);
    expect(queue.take(10)).toEqual([2, 3, 4, 7, 8]);
  });

  it('keeps at most compactAfter taken items in memory while the queue never empties', () => {
    const queue = new RowQueue<number>(1_000_000, 100);
    let next = 0;
    let expected = 0;
    let mostRetained = 0;
    for (let turn = 0; turn < 1_000; turn++) {
      queue.push(range(next, 30)); // 30 arrive per turn, 25 are written: the queue grows, never empties
      next += 30;
      for (const item of queue.take(25)) expect(item).toBe(expected++);
      mostRetained = Math.max(mostRetained, queue.retained - queue.length);
    }
    expect(queue.length).toBe(5_000);
    expect(mostRetained).toBeLessThan(100);
  });
});
