/**
 * Frames and prepared decoders for the decoder benchmark (bench/decoders.mjs), built from a venue
 * package's golden files: the recorded frames of `test/golden/*.jsonl` and the reference data of
 * `test/golden/reference.json`, served to the real source's `prepare()` by the test kit's local
 * reference server (no network), exactly as the golden check does.
 *
 * A venue is described by one small module in bench/decoders/ (see bench/decoders/README.md):
 *
 *   export default {
 *     venue: 'binance',                         // the source's name, for the table
 *     definition,                               // the package's SourceDefinition (its default export)
 *     golden: new URL('../../packages/exchange-binance/test/golden/', import.meta.url),
 *     tardis: { usdm: 'binance-futures' },      // tardis-dev exchange id per channel, or null
 *     symbols(reference) { return { usdm: [...] } },   // symbols per channel the reference lists
 *     vary(message, channel, v) { ... },        // a parsed golden frame -> one variant (a message)
 *   }
 */
import { fileURLToPath } from 'node:url';
import { createSourceHarness, listGoldenFiles, readGoldenFrames, readReference, referenceOptions, seededRandom, startReferenceServer } from '@liqmon/core/testing';

/**
 * Prepares the venue's real source instance against its golden reference data, offline.
 * @returns {Promise<{ harness: import('@liqmon/core/testing').SourceHarness, reference: object, goldenFrames: import('@liqmon/core').RawFrame[], close(): Promise<void> }>}
 */
export async function prepareVenue(entry) {
  const dir = fileURLToPath(entry.golden);
  const reference = readReference(dir) ?? {};
  const goldenFrames = listGoldenFiles(dir).flatMap((file) => readGoldenFrames(file).map(({ frame }) => frame));
  const server = await startReferenceServer(reference);
  let harness;
  try {
    harness = createSourceHarness(entry.definition, referenceOptions(reference, server), { name: entry.venue, logLevel: 'silent' });
    await harness.prepare();
  } catch (error) {
    await harness?.stop();
    await server.close();
    throw error;
  }
  return {
    harness,
    reference,
    goldenFrames,
    close: async () => {
      await harness.stop();
      await server.close();
    },
  };
}

/** How many events a decoder gives for a frame; -1 when it throws (malformed, unknown instrument). */
export function liqmonEvents(instance, frame) {
  try {
    return instance.decode(frame).length;
  } catch {
    return -1;
  }
}

/** How many liquidations a tardis-dev mapper gives for a parsed message (0 when it cannot handle it). */
export function tardisEvents(mapper, message, localTimestamp) {
  if (!mapper.canHandle(message)) return 0;
  let count = 0;
  for (const _ of mapper.map(message, localTimestamp) ?? []) count++;
  return count;
}

/**
 * Helpers handed to a venue's `vary`: each call varies one field of one variant. Prices and sizes keep
 * their number of decimals (so the text stays in the venue's format) and move by up to ±40%; times
 * move by a per-variant offset, so ids differ between variants of the same frame.
 */
export function variantHelpers(random, symbols) {
  let offset = 0;
  const decimalsOf = (text) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);
  const jitter = (value) => value * (0.6 + random() * 0.8);
  return {
    /** Starts the next variant (a new time offset). */
    next() {
      offset += 1 + Math.floor(random() * 50);
    },
    /** A decimal string (or number) moved by up to ±40%, same decimals, never zero. */
    decimal(raw) {
      const text = String(raw);
      const value = Number(text);
      if (!Number.isFinite(value) || value === 0) return raw;
      const digits = decimalsOf(text);
      let out = jitter(value).toFixed(digits);
      if (Number(out) === 0) out = text;
      return typeof raw === 'number' ? Number(out) : out;
    },
    /** A time (ms, µs or ns as a number or numeric string) shifted by this variant's offset in ms. */
    time(raw, unitsPerMs = 1) {
      if (typeof raw === 'number') return raw + offset * unitsPerMs;
      if (typeof raw === 'string' && /^\d+$/.test(raw)) return String(BigInt(raw) + BigInt(offset * unitsPerMs));
      return raw;
    },
    /** An ISO time string shifted by this variant's offset. */
    isoTime(raw) {
      const ms = Date.parse(raw);
      return Number.isNaN(ms) ? raw : new Date(ms + offset).toISOString();
    },
    /** A random symbol the reference data lists for `channel` (or `fallback` when it lists none). */
    symbol(channel, fallback) {
      const list = symbols[channel];
      return list && list.length > 0 ? list[Math.floor(random() * list.length)] : fallback;
    },
    random,
  };
}

/**
 * The benchmark's frames for one venue: every golden frame the prepared liqmon decoder turns into at
 * least one liquidation (and, where tardis-dev maps the venue, tardis too), each replicated with
 * `vary` into `count` frames in round-robin (so the recorded mix of channels and shapes is kept).
 * Variants that liqmon cannot decode (a symbol of another market, say) are dropped and retried.
 *
 * @returns {{ frames: import('@liqmon/core').RawFrame[], base: number, golden: number }}
 */
export function buildFrames(entry, prepared, { count, seed = 17, tardisMappers, localTimestamp }) {
  const random = seededRandom(seed);
  const symbols = entry.symbols(prepared.reference);
  const v = variantHelpers(random, symbols);
  const instance = prepared.harness.instance;
  const usable = (frame) => {
    if (liqmonEvents(instance, frame) < 1) return false;
    const mapper = tardisMappers?.[frame.channel];
    return !mapper || tardisEvents(mapper, JSON.parse(frame.data), localTimestamp) > 0;
  };
  // Base frames: golden frames in the live shape (`vary` with no change of values would be ideal, but
  // a variant is as real as the recording and keeps one code path).
  const bases = [];
  for (const frame of prepared.goldenFrames) {
    if (liqmonEvents(instance, frame) < 1) continue; // acks, control frames, frames of unknown symbols
    const variant = varied(entry, frame, v);
    if (variant && usable(variant)) bases.push(frame);
  }
  if (bases.length === 0) throw new Error(`${entry.venue}: no golden frame decodes to a liquidation on both sides`);
  const frames = [];
  let misses = 0;
  for (let i = 0; frames.length < count; i++) {
    const variant = varied(entry, bases[i % bases.length], v);
    if (variant && liqmonEvents(instance, variant) > 0) frames.push(variant);
    else if (++misses > count) throw new Error(`${entry.venue}: most variants do not decode; check vary()`);
  }
  return { frames, base: bases.length, golden: prepared.goldenFrames.length };
}

function varied(entry, frame, v) {
  v.next();
  const message = entry.vary(JSON.parse(frame.data), frame.channel, v);
  if (message === undefined) return undefined;
  return { channel: frame.channel, data: typeof message === 'string' ? message : JSON.stringify(message), receivedAt: frame.receivedAt };
}
