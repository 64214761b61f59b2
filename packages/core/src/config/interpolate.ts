/**
 * `${VAR}` and `${VAR:-default}` in string values, anywhere in the string. `$${VAR}` is a literal
 * `${VAR}`. Runs on the YAML document, not on the plain value, so positions survive for error messages.
 *
 * Semantics follow the shell: `:-` uses the default when the variable is unset OR empty, and a
 * reference without a default to a variable that is unset or empty is "missing" (an empty token in a
 * copied `.env.example` should switch a sink off, not send with an empty token).
 */
import { isMap, isPair, isScalar, isSeq, Scalar, type Document } from 'yaml';
import type { PathSegment } from './paths.js';

/** A `${VAR}` that has no value and no default. */
export interface MissingVariable {
  /** Path of the value that referenced it. */
  path: PathSegment[];
  name: string;
  /** True when the variable exists but is empty. */
  empty: boolean;
}

/** A `${` that is not a valid reference. */
export interface MalformedReference {
  path: PathSegment[];
  text: string;
}

export interface InterpolationResult {
  missing: MissingVariable[];
  malformed: MalformedReference[];
}

// $${...} (escape) | ${NAME} | ${NAME:-default} | any other ${ (malformed)
const REFERENCE_RE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g;
const NUMBER_RE = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Substitutes every string scalar of `doc` in place and reports what could not be substituted. */
export function interpolateDocument(
  doc: Document,
  vars: Readonly<Record<string, string | undefined>>,
): InterpolationResult {
  const result: InterpolationResult = { missing: [], malformed: [] };
  walk(doc.contents, [], vars, result);
  return result;
}

function walk(
  node: unknown,
  path: PathSegment[],
  vars: Readonly<Record<string, string | undefined>>,
  result: InterpolationResult,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      walk(pair.value, [...path, key], vars, result);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walk(item, [...path, index], vars, result));
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
    substituteScalar(node, path, vars, result);
  }
}

function substituteScalar(
  node: Scalar,
  path: PathSegment[],
  vars: Readonly<Record<string, string | undefined>>,
  result: InterpolationResult,
): void {
  const text = node.value as string;
  let wholeReference = false;
  const replaced = text.replace(REFERENCE_RE, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      result.malformed.push({ path, text: match });
      return match;
    }
    wholeReference = match === text;
    const value = vars[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    result.missing.push({ path, name, empty: value === '' });
    return '';
  });
  // An unquoted `port: ${PORT}` should give a number or boolean as if the value had been written in
  // place; a quoted one, or a reference inside longer text, stays a string.
  if (wholeReference && node.type === Scalar.PLAIN) node.value = typed(replaced);
  else node.value = replaced;
}

function typed(text: string): string | number | boolean {
  if (NUMBER_RE.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}
