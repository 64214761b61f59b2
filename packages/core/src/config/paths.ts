/** Key paths as users read them: `rules[1].minUsd`, `sinks.telegram.chatId`, `sinks["my sink"].use`. */

/** One step of a key path: a map key or a list index. */
export type PathSegment = string | number;

const IDENTIFIER_RE = /^[A-Za-z_$][\w$-]*$/;

/** Renders a path the way the docs and error messages write it. The root is the empty string. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER_RE.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** True when `path` is `prefix` or lies under it. */
export function isUnder(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}

/** True when the formatted path `path` is `prefix` or lies under it (`a.b` under `a`, `a[0]` under `a`). */
export function isFormattedUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}
