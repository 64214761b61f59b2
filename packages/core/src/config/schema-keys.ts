/**
 * Finds the keys an object schema accepts at a given path of the config, for "did you mean" on
 * unknown keys. Reads zod 4's structural `_zod.def` rather than `instanceof`, so it also works on a
 * plugin's schema built by another copy of zod.
 */
import type { z } from 'zod';
import type { PathSegment } from './paths.js';

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  options?: readonly unknown[];
  element?: unknown;
  valueType?: unknown;
  left?: unknown;
  right?: unknown;
  getter?: () => unknown;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function defOf(schema: unknown): Def | undefined {
  const internals = (schema as { _zod?: { def?: Def } } | undefined)?._zod;
  return internals?.def;
}

/** The object schemas `schema` can be once wrappers, pipes and unions are looked through. */
function objects(schema: unknown, depth = 0): Def[] {
  const def = defOf(schema);
  if (!def || depth > 20) return [];
  if (def.type === 'object') return [def];
  if (WRAPPERS.has(def.type)) return objects(def.innerType, depth + 1);
  if (def.type === 'pipe') return objects(def.in, depth + 1);
  if (def.type === 'lazy' && def.getter) return objects(def.getter(), depth + 1);
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => objects(option, depth + 1));
  if (def.type === 'intersection') return [...objects(def.left, depth + 1), ...objects(def.right, depth + 1)];
  return [];
}

/** The schemas a child at `segment` of `schema` can have. */
function children(schema: unknown, segment: PathSegment, depth = 0): unknown[] {
  const def = defOf(schema);
  if (!def || depth > 20) return [];
  if (WRAPPERS.has(def.type)) return children(def.innerType, segment, depth + 1);
  if (def.type === 'pipe') return children(def.in, segment, depth + 1);
  if (def.type === 'lazy' && def.getter) return children(def.getter(), segment, depth + 1);
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => children(option, segment, depth + 1));
  if (def.type === 'intersection') return [...children(def.left, segment, depth + 1), ...children(def.right, segment, depth + 1)];
  if (def.type === 'object') {
    const child = def.shape?.[String(segment)];
    return child === undefined ? [] : [child];
  }
  if (def.type === 'array' && typeof segment === 'number') return [def.element];
  if (def.type === 'record') return [def.valueType];
  return [];
}

/** Keys accepted by the object at `path` of `schema` (empty when unknown). */
export function keysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let current: unknown[] = [schema];
  for (const segment of path) current = current.flatMap((s) => children(s, segment));
  const keys = new Set<string>();
  for (const object of current.flatMap((s) => objects(s))) for (const key of Object.keys(object.shape ?? {})) keys.add(key);
  return [...keys];
}
