/** Timers that never keep the process alive on their own (sources and sinks do that). */
export type Timer = ReturnType<typeof setTimeout>;

export function startTimer(ms: number, run: () => void): Timer {
  const timer = setTimeout(run, Math.max(0, ms));
  timer.unref?.();
  return timer;
}
