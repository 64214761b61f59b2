import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stopWithNpmWrapper } from '../src/parent-watch.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('stopWithNpmWrapper', () => {
  it('stops once the npm wrapper that launched liqmon is gone (reparented)', () => {
    let parent = 4242;
    const onOrphaned = vi.fn();
    stopWithNpmWrapper({ env: { npm_command: 'exec' }, parentPid: () => parent, onOrphaned });
    vi.advanceTimersByTime(5_000);
    expect(onOrphaned).not.toHaveBeenCalled();
    parent = 1;
    vi.advanceTimersByTime(1_000);
    expect(onOrphaned).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5_000);
    expect(onOrphaned).toHaveBeenCalledTimes(1);
  });

  it('leaves a liqmon not started by npm alone (nohup liqmon start & outlives its shell)', () => {
    let parent = 4242;
    const onOrphaned = vi.fn();
    stopWithNpmWrapper({ env: {}, parentPid: () => parent, onOrphaned });
    parent = 1;
    vi.advanceTimersByTime(5_000);
    expect(onOrphaned).not.toHaveBeenCalled();
  });
});
