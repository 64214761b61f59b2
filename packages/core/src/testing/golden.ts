/**
 * Golden files: recorded frames beside the events they must give, compared field by field. Catches
 * what the conformance kit cannot see: a flipped side, a notional in the wrong unit, a time an hour
 * off, an id that changes between two decodes. See docs/writing-a-source.md.
 *
 * Each folder's source instance is prepared once against a local server answering with the folder's
 * `reference.json` snapshot, then every frame is decoded twice (the second time later, with another
 * `receivedAt`): the ids must match, and be unique across the file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isLiqmonError, type UnknownInstrumentError } from '../errors.js';
import type { Liquidation } from '../liquidation.js';
import type { SourceDefinition } from '../plugin.js';
import { messageOf, type CheckResult } from './check-report.js';
import type { FakeExchangeServer } from './fake-exchange.js';
import { diffOutcome } from './golden-compare.js';
import {
  expectedPathOf,
  formatExpected,
  listGoldenFiles,
  readExpected,
  readGoldenFrames,
  readReference,
  toGoldenEvent,
  type GoldenFrame,
  type GoldenOutcome,
} from './golden-file.js';
import { referenceOptions, startReferenceServer } from './golden-reference.js';
import { createSourceHarness, type SourceHarness } from './run-source.js';
import { liquidationProblems } from './validate.js';

/** Options of {@link checkGolden}. */
export interface GoldenCheckOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any plugin's options schema
  definition: SourceDefinition<any>;
  /** Folder holding `NAME.jsonl` + `NAME.expected.jsonl` pairs and, optionally, `reference.json`. */
  dir: string;
  /** Check only these golden files (names inside `dir`). @default every `*.jsonl` that is not an expected file */
  files?: readonly string[];
  /**
   * Source options pointing at the local reference server; replaces `reference.json`'s `options`.
   * @default reference.json's options, else `{ restUrl, wsUrl }` of the server
   */
  options?: (server: FakeExchangeServer) => Record<string, unknown>;
  /**
   * Write each expected file from the current decoder instead of comparing (review the diff before
   * committing it). @default true when the environment has `LIQMON_GOLDEN_UPDATE=1`
   */
  update?: boolean;
  /** Instance name of the source. @default 'golden' */
  name?: string;
}

/** What {@link checkGolden} found: one check per golden file. */
export interface GoldenReport {
  /** True when every file holds (or was written, in update mode). */
  ok: boolean;
  /** One result per golden file, named `golden NAME.jsonl: ...`. */
  checks: CheckResult[];
  /** Expected files written (update mode). */
  written: string[];
}

/** Checks (or, in update mode, writes) every golden file of a folder. Never throws for a failed check. */
export async function checkGolden(options: GoldenCheckOptions): Promise<GoldenReport> {
  const update = options.update ?? process.env.LIQMON_GOLDEN_UPDATE === '1';
  const files = options.files ? options.files.map((file) => path.resolve(options.dir, file)) : listGoldenFiles(options.dir);
  if (files.length === 0) {
    const check: CheckResult = { name: `golden files in ${options.dir}`, status: 'fail', details: ['no NAME.jsonl golden file in this folder'] };
    return { ok: false, checks: [check], written: [] };
  }
  const reference = readReference(options.dir) ?? {};
  const server = await startReferenceServer(reference);
  const sourceOptions = options.options?.(server) ?? referenceOptions(reference, server);
  let harness: SourceHarness;
  try {
    harness = createSourceHarness(options.definition, sourceOptions, { name: options.name ?? 'golden', logLevel: 'silent' });
  } catch (error) {
    await server.close();
    const check: CheckResult = { name: `golden files in ${options.dir}`, status: 'fail', details: [`cannot create the source: ${messageOf(error)}`] };
    return { ok: false, checks: [check], written: [] };
  }
  const checks: CheckResult[] = [];
  const written: string[] = [];
  try {
    await harness.prepare();
    for (const file of files) {
      const result = await checkFile(file, harness, update);
      checks.push(result.check);
      if (result.written) written.push(result.written);
    }
  } catch (error) {
    checks.push({ name: `golden files in ${options.dir}`, status: 'fail', details: [`prepare() failed: ${messageOf(error)}`] });
  } finally {
    await harness.stop();
    await server.close();
  }
  return { ok: checks.every((check) => check.status !== 'fail'), checks, written };
}

/** What one frame gave: an outcome, plus problems that no expected file can excuse. */
interface Decoded {
  outcome: GoldenOutcome;
  ids: string[];
  problems: string[];
}

function decode(harness: SourceHarness, { frame }: GoldenFrame, where: string, receivedAt: number): Decoded {
  let events: readonly Liquidation[];
  try {
    events = harness.instance.decode({ ...frame, receivedAt });
  } catch (error) {
    if (isLiqmonError(error) && error.code === 'LIQMON_MALFORMED_FRAME') return { outcome: { malformed: true }, ids: [], problems: [] };
    if (isLiqmonError(error) && error.code === 'LIQMON_UNKNOWN_INSTRUMENT') {
      return { outcome: { unknownInstrument: String((error as UnknownInstrumentError).instrument) }, ids: [], problems: [] };
    }
    return {
      outcome: { events: [] },
      ids: [],
      problems: [`${where}: decode threw ${messageOf(error)} (only MalformedFrameError or UnknownInstrumentError may be thrown)`],
    };
  }
  const problems = events.flatMap((event, index) => {
    const list = liquidationProblems(event, { source: harness.name }).map((problem) => `${where} event ${index + 1}: ${problem}`);
    if (event.receivedAt !== receivedAt) list.push(`${where} event ${index + 1}: receivedAt ${event.receivedAt} is not the frame's ${receivedAt}`);
    return list;
  });
  return { outcome: { events: events.map(toGoldenEvent) }, ids: events.map((event) => event.id), problems };
}

async function checkFile(file: string, harness: SourceHarness, update: boolean): Promise<{ check: CheckResult; written?: string }> {
  const base = path.basename(file);
  const expectedFile = expectedPathOf(file);
  let frames: GoldenFrame[];
  let expected: Map<number, GoldenOutcome> | undefined;
  try {
    frames = readGoldenFrames(file);
    expected = update ? undefined : readExpected(expectedFile);
  } catch (error) {
    return { check: { name: `golden ${base}`, status: 'fail', details: [messageOf(error)] } };
  }
  const first = frames.map((frame) => decode(harness, frame, `${base}:${frame.line}`, frame.frame.receivedAt));
  // Later and with another receivedAt: an id built from the clock or the receive time changes.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const again = frames.map((frame) => decode(harness, frame, `${base}:${frame.line}`, frame.frame.receivedAt + 1_000));
  const details = [...first.flatMap((decoded) => decoded.problems), ...idProblems(base, frames, first, again)];
  const events = first.reduce((sum, decoded) => sum + ('events' in decoded.outcome ? decoded.outcome.events.length : 0), 0);
  const summary = `${frames.length} frame(s), ${events} event(s)`;

  if (update) {
    writeFileSync(expectedFile, formatExpected(frames.map((frame, index) => ({ line: frame.line, outcome: first[index]!.outcome }))));
    const status = details.length > 0 ? 'fail' : 'pass';
    return { check: { name: `golden ${base}: ${summary}, expected file written (review it)`, status, details }, written: expectedFile };
  }
  if (!expected) {
    const hint = `no ${path.basename(expectedFile)}: write it with LIQMON_GOLDEN_UPDATE=1 (or --update), then check it by hand`;
    return { check: { name: `golden ${base}`, status: 'fail', details: [hint] } };
  }
  frames.forEach((frame, index) => {
    const where = `${base}:${frame.line}`;
    const want = expected.get(frame.line);
    if (!want) details.push(`${where}: no line for this frame in ${path.basename(expectedFile)} (update it)`);
    else details.push(...diffOutcome(where, want, first[index]!.outcome));
  });
  const lines = new Set(frames.map((frame) => frame.line));
  for (const line of expected.keys()) {
    if (!lines.has(line)) details.push(`${path.basename(expectedFile)}: expects frame ${line}, which ${base} does not have`);
  }
  if (details.length === 0) return { check: { name: `golden ${base}: ${summary} as expected`, status: 'pass', details } };
  return { check: { name: `golden ${base}: ${details.length} difference(s)`, status: 'fail', details } };
}

/** Ids must be the same on the second decode, and unique across the file. */
function idProblems(base: string, frames: GoldenFrame[], first: Decoded[], again: Decoded[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  frames.forEach((frame, index) => {
    const where = `${base}:${frame.line}`;
    const ids = first[index]!.ids;
    const later = again[index]!.ids;
    ids.forEach((id, n) => {
      if (later[n] !== undefined && later[n] !== id) {
        problems.push(`${where} event ${n + 1} id: not stable: ${JSON.stringify(id)} then ${JSON.stringify(later[n])} when decoded again`);
      }
      const other = seen.get(id);
      if (other !== undefined) problems.push(`${where} event ${n + 1} id: ${JSON.stringify(id)} is also the id of ${other}`);
      else seen.set(id, `${where} event ${n + 1}`);
    });
  });
  return problems;
}
