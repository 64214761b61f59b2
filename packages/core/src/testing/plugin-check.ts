/**
 * Every check of one plugin, as `liqmon check-plugin` runs them: for a source, the golden files and
 * the conformance kit (decoder checks on the golden frames; live checks against a fake venue when one
 * is known); for a sink, the sink check against the fake HTTP receiver. Resolves to a report; never
 * throws for a failed check.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { RawFrame, SinkDefinition, SourceDefinition } from '../plugin.js';
import { messageOf, type CheckResult } from './check-report.js';
import { sourceConformance } from './conformance.js';
import { expectedPathOf, readExpected, readGoldenFrames, readReference } from './golden-file.js';
import { referenceOptions, startReferenceServer } from './golden-reference.js';
import { checkGolden } from './golden.js';
import { knownSourceFake, type LiveSourceSpec } from './known-fakes.js';
import { checkSink, type SinkCheckOptions } from './sink-check.js';

/** Options of {@link checkPlugin}. */
export interface PluginCheckOptions {
  definition: SourceDefinition | SinkDefinition;
  /** Folder of golden files (sources). Without it a source fails the golden check. */
  golden?: string;
  /** Write the expected files instead of comparing them (see {@link checkGolden}). @default false */
  update?: boolean;
  /** How to run a source against its fake venue. @default the kit's fake for `binance` and `bybit`, else live checks are skipped */
  source?: LiveSourceSpec;
  /** How to point a sink at the fake receiver. @default none: the sink check is skipped */
  sink?: Omit<SinkCheckOptions, 'definition'>;
}

/** What {@link checkPlugin} found. */
export interface PluginCheckReport {
  /** True when no check failed. */
  ok: boolean;
  checks: CheckResult[];
}

/** Runs every check that applies to the plugin. */
export async function checkPlugin(options: PluginCheckOptions): Promise<PluginCheckReport> {
  const checks = options.definition.kind === 'source' ? await checkSource(options.definition, options) : await checkSinkPlugin(options.definition, options);
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}

async function checkSinkPlugin(definition: SinkDefinition, options: PluginCheckOptions): Promise<CheckResult[]> {
  if (!options.sink) {
    return [{ name: 'sink checks', status: 'skip', details: ['no liqmon.check.js says how to point this sink at the fake receiver (docs/plugins.md)'] }];
  }
  const report = await checkSink({ ...options.sink, definition });
  return report.checks.map((check) => ({ name: check.name, status: check.ok ? 'pass' : 'fail', details: check.problems }));
}

/** Golden frames by what they must give: events (fixtures), nothing (control frames) or an error. */
function framesByOutcome(dir: string): { fixtures: RawFrame[]; control: RawFrame[]; malformed: RawFrame[] } {
  const sorted = { fixtures: [] as RawFrame[], control: [] as RawFrame[], malformed: [] as RawFrame[] };
  const files = readdirSync(dir).filter((name) => name.endsWith('.jsonl') && !name.endsWith('.expected.jsonl'));
  for (const name of files) {
    const file = path.join(dir, name);
    const expected = readExpected(expectedPathOf(file));
    for (const { line, frame } of readGoldenFrames(file)) {
      const outcome = expected?.get(line);
      if (!outcome) continue;
      if ('malformed' in outcome) sorted.malformed.push(frame);
      // A frame of an unlisted instrument is neither: the conformance run's reference data decides it.
      else if ('unknownInstrument' in outcome) continue;
      else (outcome.events.length > 0 ? sorted.fixtures : sorted.control).push(frame);
    }
  }
  return sorted;
}

async function checkSource(definition: SourceDefinition, options: PluginCheckOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let frames = { fixtures: [] as RawFrame[], control: [] as RawFrame[], malformed: [] as RawFrame[] };
  const reference = options.golden ? (readReference(options.golden) ?? {}) : {};
  if (options.golden) {
    const golden = await checkGolden({ definition, dir: options.golden, update: options.update ?? false });
    results.push(...golden.checks);
    try {
      frames = framesByOutcome(options.golden);
    } catch (error) {
      results.push({ name: 'golden frames for the conformance checks', status: 'fail', details: [messageOf(error)] });
    }
  } else {
    results.push({ name: 'golden files', status: 'fail', details: ['none given: write test/golden/NAME.jsonl (recorded frames) and pass --golden DIR (docs/writing-a-source.md)'] });
  }

  const live = options.source ?? knownSourceFake(definition.name);
  const checks = sourceConformance({
    definition,
    fake: live?.fake ?? (() => startReferenceServer(reference)),
    options: live?.options ?? ((server) => referenceOptions(reference, server)),
    emit: live?.emit ?? (() => undefined),
    ...(live?.keepAlive ? { keepAlive: live.keepAlive } : {}),
    fixtures: frames.fixtures,
    control: frames.control,
    malformed: frames.malformed,
  });
  const skipped: string[] = [];
  for (const check of checks) {
    if (check.live && !live) {
      skipped.push(check.name);
      continue;
    }
    try {
      await check.run();
      results.push({ name: check.name, status: 'pass', details: [] });
    } catch (error) {
      results.push({ name: check.name, status: 'fail', details: [messageOf(error)] });
    }
  }
  if (skipped.length > 0) {
    results.push({
      name: `live checks (${skipped.length}): no fake venue known for "${definition.name}"`,
      status: 'skip',
      details: ['give one in liqmon.check.js (docs/plugins.md), or run sourceConformance() in the plugin\'s tests', ...skipped.map((name) => `not run: ${name}`)],
    });
  }
  return results;
}
