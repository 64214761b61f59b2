/**
 * The source conformance kit: contract checks every source must pass, run against the plugin's own
 * fake exchange. Framework-agnostic: `sourceConformance()` returns named checks to register with any
 * test runner (`for (const c of checks) it(c.name, c.run)`); `testSource()` runs them all and throws
 * one error naming every failed check.
 */
import { MalformedFrameError } from '../errors.js';
import type { RawFrame, SourceDefinition } from '../plugin.js';
import type { FakeExchangeServer } from './fake-exchange.js';
import { createSourceHarness, runSource, type SourceHarness } from './run-source.js';
import { assertLiquidation } from './validate.js';

/** What the kit needs to know about a source. */
export interface SourceConformanceOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any plugin's options schema
  definition: SourceDefinition<any>;
  /** Starts a fresh fake exchange for one check (the kit closes it). */
  fake: () => Promise<FakeExchangeServer>;
  /** Raw options (as a user would write them) pointing the source at the fake, with fast timings. */
  options: (fake: FakeExchangeServer) => Record<string, unknown>;
  /** Make the fake push one liquidation to connected clients (called repeatedly until one arrives). */
  emit: (fake: FakeExchangeServer) => void;
  /** Recorded frames; each must decode to at least one valid liquidation. */
  fixtures: readonly RawFrame[];
  /** Frames that must throw MalformedFrameError or return []; the kit adds generic garbage per channel. */
  malformed?: readonly RawFrame[];
  /** Recorded control frames (subscribe acks, pongs) of the venue: each must decode to nothing, without throwing. */
  control?: readonly RawFrame[];
  /**
   * Check that the source keeps a quiet connection alive: the fake cuts a client that sent nothing (no
   * message, ping or pong) for `idleTimeout` ms, as venues do, and the source must not be cut during
   * two such periods. `options` are added to the source's options (a heartbeat shorter than the cut).
   * @default not checked
   */
  keepAlive?: { idleTimeout: number; options?: Record<string, unknown> };
  /** Instance name used in the checks. @default 'conformance' */
  name?: string;
  /** Upper bound for each wait, ms. @default 5000 */
  timeout?: number;
}

/** One named contract check. */
export interface ConformanceCheck {
  name: string;
  /** True when the check runs the source against the fake exchange (needs `emit`); false for decoder-only checks. */
  live: boolean;
  run: () => Promise<void>;
}

const GARBAGE = ['', ' ', 'not json', '{', 'null', 'true', '42', '"text"', '[]', '{}', '[1,2]', '{"e":null}', '{"data":null}', '\u0000'];

function fail(message: string): never {
  throw new Error(message);
}

/** The contract checks, in the order they are meant to run. */
export function sourceConformance(spec: SourceConformanceOptions): ConformanceCheck[] {
  const name = spec.name ?? 'conformance';
  const timeout = spec.timeout ?? 5_000;

  async function withFake(body: (fake: FakeExchangeServer) => Promise<void>): Promise<void> {
    const fake = await spec.fake();
    try {
      await body(fake);
    } finally {
      await fake.close();
    }
  }

  async function withRunning(fake: FakeExchangeServer, body: (run: SourceHarness) => Promise<void>): Promise<void> {
    const run = await runSource(spec.definition, spec.options(fake), { name });
    try {
      await body(run);
    } finally {
      await run.stop();
    }
  }

  /** Emits until the source has more than `before` events; tolerant of (re)subscription delays. */
  async function emitUntilEvent(fake: FakeExchangeServer, run: SourceHarness, before: number): Promise<void> {
    const deadline = Date.now() + timeout;
    while (run.events.length <= before) {
      if (Date.now() > deadline) {
        fail(`no liquidation arrived within ${timeout} ms (frames received: ${run.frames.length}); the fake delivers only to subscribed clients: does the source subscribe?`);
      }
      spec.emit(fake);
      await run.waitFor(() => run.events.length > before, { timeout: 100 }).catch(() => undefined);
    }
    for (const event of run.events) assertLiquidation(event, { source: name, live: true });
    if (run.crashes.length > 0) fail(`decode threw a non-MalformedFrameError: ${String(run.crashes[0]?.error)}`);
  }

  function keepAliveCheck(keepAlive: NonNullable<SourceConformanceOptions['keepAlive']>): ConformanceCheck {
    const { idleTimeout } = keepAlive;
    return {
      name: `keeps a quiet connection alive past the exchange's idle cut (${idleTimeout} ms without a ping or message)`,
      live: true,
      run: () =>
        withFake(async (fake) => {
          const run = await runSource(spec.definition, { ...spec.options(fake), ...keepAlive.options }, { name });
          try {
            await emitUntilEvent(fake, run, 0);
            fake.setIdleTimeout(idleTimeout);
            await new Promise((resolve) => setTimeout(resolve, idleTimeout * 2));
            if (fake.idleCuts.length > 0) {
              fail(`the fake cut ${fake.idleCuts.length} idle connection(s): the source sent no ping or message for ${idleTimeout} ms (send a heartbeat)`);
            }
            await emitUntilEvent(fake, run, run.events.length);
          } finally {
            await run.stop();
          }
        }),
    };
  }

  return [
    {
      name: 'create() does no I/O, and stop() without start() is safe',
      live: false,
      run: () =>
        withFake(async (fake) => {
          const harness = createSourceHarness(spec.definition, spec.options(fake), { name });
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (fake.connections.length > 0 || fake.restRequests.length > 0) fail('create() opened connections or made requests');
          await harness.stop();
        }),
    },
    {
      name: 'starts, delivers a live liquidation, reports health, and stops cleanly (twice is safe)',
      live: true,
      run: () =>
        withFake(async (fake) => {
          const run = await runSource(spec.definition, spec.options(fake), { name });
          try {
            await emitUntilEvent(fake, run, 0);
            const health = run.instance.health?.();
            if (health && !health.connected) fail('health().connected is false while the source runs');
          } finally {
            await run.instance.stop();
            await run.stop();
          }
          await fake.waitFor(() => fake.clients.size === 0, { timeout, message: 'connections stayed open after stop()' });
        }),
    },
    {
      name: 'decodes every recorded frame to valid liquidations with stable ids',
      live: false,
      run: () =>
        withFake(async (fake) => {
          const harness = createSourceHarness(spec.definition, spec.options(fake), { name });
          try {
            await harness.prepare();
            const firstIds: string[] = [];
            for (const frame of spec.fixtures) {
              const first = harness.instance.decode(frame);
              if (first.length === 0) fail(`no liquidation decoded from ${frame.data}`);
              for (const event of first) {
                assertLiquidation(event, { source: name });
                if (event.receivedAt !== frame.receivedAt) fail(`receivedAt ${event.receivedAt} is not the frame's ${frame.receivedAt}`);
              }
              firstIds.push(first.map((e) => e.id).join());
            }
            // Later, and with another receive time: an id built from the clock or receivedAt changes.
            await new Promise((resolve) => setTimeout(resolve, 5));
            spec.fixtures.forEach((frame, index) => {
              const again = harness.instance.decode({ ...frame, receivedAt: frame.receivedAt + 1_000 });
              if (again.map((e) => e.id).join() !== firstIds[index]) fail(`ids differ when ${frame.data} is decoded twice`);
            });
          } finally {
            await harness.stop();
          }
        }),
    },
    {
      name: 'malformed frames throw MalformedFrameError or decode to nothing, never anything else',
      live: false,
      run: () =>
        withFake(async (fake) => {
          const harness = createSourceHarness(spec.definition, spec.options(fake), { name });
          const channels = [...new Set(spec.fixtures.map((frame) => frame.channel))];
          const frames = [
            ...channels.flatMap((channel) => GARBAGE.map((data) => ({ channel, data, receivedAt: Date.now() }))),
            ...(spec.malformed ?? []),
          ];
          try {
            for (const frame of frames) {
              try {
                for (const event of harness.instance.decode(frame)) assertLiquidation(event, { source: name });
              } catch (error) {
                if (!(error instanceof MalformedFrameError) && (error as { code?: string }).code !== 'LIQMON_MALFORMED_FRAME') {
                  fail(`decode(${JSON.stringify(frame.data)}) threw ${String(error)} instead of MalformedFrameError`);
                }
              }
            }
          } finally {
            await harness.stop();
          }
        }),
    },
    ...(spec.control && spec.control.length > 0
      ? [
          {
            name: 'control frames (acks, pongs) decode to nothing',
            live: false,
            run: () =>
              withFake(async (fake) => {
                const harness = createSourceHarness(spec.definition, spec.options(fake), { name });
                try {
                  for (const frame of spec.control ?? []) {
                    let events: readonly unknown[];
                    try {
                      events = harness.instance.decode(frame);
                    } catch (error) {
                      fail(`decode(${JSON.stringify(frame.data)}) threw ${String(error)}; a control frame must give []`);
                    }
                    if (events.length > 0) fail(`decode(${JSON.stringify(frame.data)}) gave ${events.length} liquidation(s); a control frame must give []`);
                  }
                } finally {
                  await harness.stop();
                }
              }),
          },
        ]
      : []),
    ...(spec.keepAlive ? [keepAliveCheck(spec.keepAlive)] : []),
    {
      name: 'reconnects after the exchange drops every connection, and liquidations keep arriving',
      live: true,
      run: () =>
        withFake((fake) =>
          withRunning(fake, async (run) => {
            await emitUntilEvent(fake, run, 0);
            const connections = fake.connections.length;
            fake.dropAll();
            await fake.waitFor(() => fake.connections.length > connections, { timeout, message: 'the source did not reconnect' });
            await emitUntilEvent(fake, run, run.events.length);
            const health = run.instance.health?.();
            if (health && health.reconnects < 1) fail(`health().reconnects is ${health.reconnects} after a dropped connection`);
          }),
        ),
    },
  ];
}

/** Runs every conformance check; throws one error listing each failed check and why. */
export async function testSource(spec: SourceConformanceOptions): Promise<void> {
  const failures: string[] = [];
  for (const check of sourceConformance(spec)) {
    try {
      await check.run();
    } catch (error) {
      failures.push(`${check.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) throw new Error(`Source "${spec.definition.name}" fails the conformance checks:\n- ${failures.join('\n- ')}`);
}
