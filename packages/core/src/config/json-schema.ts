/**
 * The JSON Schema of the whole config file, for editors (`yaml-language-server: $schema=...`). Built
 * with `z.toJSONSchema` from the very schemas the loader validates with, so the two cannot drift: the
 * core keys, plus the options of every built-in plugin whose package is installed.
 */
import { z } from 'zod';
import type { PluginDefinition } from '../plugin.js';
import { aliasesOfKind } from '../plugins/aliases.js';
import { loadPlugin } from '../plugins/load.js';
import { coreConfigSchema } from './schema.js';

type JsonObject = Record<string, unknown>;

// draft-07: the dialect editors (yaml-language-server, VS Code) support best.
const TO_JSON = { io: 'input', target: 'draft-7', unrepresentable: 'any' } as const;

/**
 * JSON Schema (draft-07) of a liqmon config file.
 * @param options.fromDir - where to resolve the built-in plugin packages from; default: the working directory, then core's install.
 */
export async function configJsonSchema(options: { fromDir?: string } = {}): Promise<object> {
  const fromDir = options.fromDir ?? process.cwd();
  const schema = z.toJSONSchema(coreConfigSchema, TO_JSON) as JsonObject;
  const properties = schema['properties'] as Record<string, JsonObject>;
  for (const [section, kind] of [['sources', 'source'], ['sinks', 'sink']] as const) {
    const target = properties[section];
    if (!target) continue;
    const generic = target['additionalProperties'] as JsonObject;
    const variants = await pluginVariants(kind, fromDir);
    target['additionalProperties'] = { anyOf: [...variants.schemas, notBuiltin(generic, variants.aliases)] };
  }
  return {
    title: 'liqmon config',
    description: 'Configuration of liqmon: sources (exchanges), sinks (where alerts go) and rules. See docs/configuration.md.',
    ...schema,
  };
}

/** One strict object schema per built-in plugin that can be loaded, keyed by `use: <alias>`. */
async function pluginVariants(kind: 'source' | 'sink', fromDir: string): Promise<{ aliases: string[]; schemas: JsonObject[] }> {
  const aliases = aliasesOfKind(kind);
  const loaded = await Promise.all(
    aliases.map(async (alias) => {
      try {
        return { alias, definition: (await loadPlugin(alias, kind, fromDir)) as PluginDefinition };
      } catch {
        return undefined; // not installed: its entries fall back to the generic schema
      }
    }),
  );
  const schemas = loaded
    .filter((l) => l !== undefined)
    .map(({ alias, definition }) => {
      const entry = definition.options
        .extend({
          use: z.literal(alias).meta({ description: `${definition.description ?? definition.name} (built-in alias)` }),
          enabled: z.boolean().default(true).meta({ description: 'Set false to keep the entry but not run it' }),
          ...(kind === 'source'
            ? { maxFrameBytes: z.number().int().min(1_024).max(67_108_864).optional().meta({ description: 'Largest frame accepted, in bytes; larger ones are dropped unread (default 1048576)' }) }
            : {}),
        })
        .strict();
      const json = z.toJSONSchema(entry, TO_JSON) as JsonObject;
      delete json['$schema'];
      return json;
    });
  return { aliases, schemas };
}

/** The generic entry (a package name or path in `use:`), excluding the aliases handled above. */
function notBuiltin(generic: JsonObject, aliases: readonly string[]): JsonObject {
  const properties = { ...(generic['properties'] as Record<string, JsonObject> | undefined) };
  properties['use'] = { ...properties['use'], not: { enum: [...aliases] } };
  return { ...generic, properties };
}
