/**
 * Checks that an imported module is a liqmon plugin of the expected kind, built for this core's plugin
 * API. Recognised by the `Symbol.for('liqmon.plugin')` stamp that defineSource/defineSink add, which is
 * shared across copies of core (a plugin may resolve its own copy).
 */
import { PluginApiMismatchError, PluginInvalidError } from '../errors.js';
import { kPlugin, type PluginDefinition, type PluginStamp } from '../plugin.js';
import { PLUGIN_API_VERSION } from '../version.js';

type Kind = 'source' | 'sink';

/** Returns the plugin definition inside `module` or throws a PluginInvalidError / PluginApiMismatchError. */
export function pluginFromModule(module: unknown, use: string, kind: Kind): PluginDefinition {
  const definition = findDefinition(module);
  if (!definition) {
    throw new PluginInvalidError(use, `it exports ${describeExports(module)}, and none of them is a plugin definition.`, {
      hint: `A plugin default-exports what \`define${kind === 'source' ? 'Source' : 'Sink'}({...})\` from @liqmon/core returns.`,
    });
  }
  const stamp = definition[kPlugin] as Partial<PluginStamp> | undefined;
  if (typeof stamp?.api !== 'number') {
    throw new PluginInvalidError(use, 'its plugin stamp is damaged (no API version).', {
      hint: 'Build the definition with defineSource/defineSink from @liqmon/core instead of by hand.',
    });
  }
  if (stamp.api !== PLUGIN_API_VERSION) {
    throw new PluginApiMismatchError(use, stamp.api, PLUGIN_API_VERSION, String(stamp.coreVersion ?? 'unknown'));
  }
  const actual = (definition as { kind?: unknown }).kind;
  if (actual !== kind) {
    const section = actual === 'sink' ? 'sinks' : 'sources';
    throw new PluginInvalidError(use, `it is a ${String(actual)} plugin, not a ${kind}.`, {
      hint: `Move this entry under \`${section}:\`.`,
    });
  }
  if (typeof definition.create !== 'function' || !isObjectSchema(definition.options)) {
    throw new PluginInvalidError(use, 'its definition lacks `create` or an object `options` schema.', {
      hint: 'Pass `options: z.object({...})` and `create(options, context)` to defineSource/defineSink.',
    });
  }
  return definition;
}

/** `export default def`, a CJS-interop double default, or the namespace itself. */
function findDefinition(module: unknown): PluginDefinition | undefined {
  const candidates = [module, get(module, 'default'), get(get(module, 'default'), 'default')];
  return candidates.find((c): c is PluginDefinition => typeof c === 'object' && c !== null && kPlugin in c);
}

function get(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function isObjectSchema(value: unknown): boolean {
  return (value as { _zod?: { def?: { type?: string } } } | undefined)?._zod?.def?.type === 'object';
}

/** "default (a function), foo (an object)" */
function describeExports(module: unknown): string {
  if (typeof module !== 'object' || module === null) return 'nothing usable';
  const names = Object.keys(module);
  if (names.length === 0) return 'nothing';
  return names
    .slice(0, 8)
    .map((name) => {
      const value = (module as Record<string, unknown>)[name];
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
      return `${name} (${kind})`;
    })
    .join(', ');
}
