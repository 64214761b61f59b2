/** The JSON Schema for editors comes from the same zod schemas the loader validates with. */
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/index.js';

const project = fileURLToPath(new URL('../fixtures/plugins/project/', import.meta.url));

const valid = `
sources:
  mine: { use: ./my-source.js, anything: goes }
sinks:
  console: { use: console, format: json }
  paused: { use: console, enabled: false }
rules:
  - name: majors
    match: { base: [BTC, ETH], side: long, not: { symbol: "*_PERP" } }
    minUsd: 50k
    maxUsd: 1.5M
    aggregate: { window: 60s, by: [base, side], minUsd: 2M, minCount: 3 }
    cooldown: 5m
    to: [console]
dedupeWindow: 30s
log: { level: debug }
`;

describe('configJsonSchema', () => {
  let schema: Record<string, unknown>;
  let validate: ReturnType<Ajv['compile']>;

  beforeAll(async () => {
    schema = (await configJsonSchema({ fromDir: project })) as Record<string, unknown>;
    // Editors check `format: uri` themselves; Ajv only needs to know the format exists (without it, it
    // prints an "unknown format" line per URL option into the test output).
    validate = new Ajv({ strict: false, allErrors: true, formats: { uri: (text: string) => URL.canParse(text) } }).compile(schema);
  });

  it('is a draft-07 schema with a title', () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema['title']).toBe('liqmon config');
  });

  it('accepts a valid config', () => {
    const ok = validate(parse(valid));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects unknown keys, bad durations and unknown options of built-in plugins', () => {
    expect(validate(parse('logg: {}\n'))).toBe(false);
    expect(validate(parse('dedupeWindow: 60\n'))).toBe(false);
    expect(validate(parse('sinks:\n  console: { use: console, colour: red }\n'))).toBe(false);
    expect(validate(parse('sinks:\n  console: { use: console, format: xml }\n'))).toBe(false);
  });

  it('carries descriptions for editors', () => {
    const text = JSON.stringify(schema);
    expect(text).toContain('USD amount: 50000, 50k, 1.5M, 2B');
    expect(text).toContain('Duration with a unit: 500ms, 10s, 5m, 1h, 1d');
    expect(text).toContain('pretty: readable text; json: one JSON object per alert per line');
  });

  it('describes each built-in plugin that is installed as its own entry, keyed by use', () => {
    const sinks = (schema['properties'] as Record<string, { additionalProperties: { anyOf: Record<string, unknown>[] } }>)['sinks'];
    const uses = sinks?.additionalProperties.anyOf.map((entry) => (entry['properties'] as Record<string, unknown>)['use']);
    expect(uses).toContainEqual(expect.objectContaining({ const: 'console' }));
    // The last branch takes package names and paths, but not the aliases handled above.
    expect(uses?.at(-1)).toMatchObject({ type: 'string', not: { enum: expect.arrayContaining(['console', 'telegram']) } });
  });
});
