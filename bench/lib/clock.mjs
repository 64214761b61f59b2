/**
 * Milliseconds of the system's monotonic clock (CLOCK_MONOTONIC on Linux). Unlike performance.now(),
 * whose origin is each process's start, it reads the same in every process: the end-to-end benchmark
 * compares its push times with stamps taken inside liqmon's fake sink and the bare client. Its own
 * module, with no imports, so that the bare client and the fake sink load nothing else with it.
 */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
