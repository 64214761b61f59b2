/**
 * Finds `${VAR}` references written unquoted inside a YAML flow collection (`{ token: ${TOKEN} }`).
 * There the braces of the reference end the mapping, and the YAML parser then reports dozens of errors
 * on the rest of the file, none of which names the cause. A light scan of the text (quotes, comments and
 * bracket depth) finds the reference so that the one real mistake can be reported with its fix.
 */

/** An unquoted reference inside `{ }` or `[ ]`. */
export interface FlowReference {
  /** Character offset of the `$`. */
  offset: number;
  /** The reference as written, e.g. `${TELEGRAM_BOT_TOKEN}`. */
  text: string;
  /** The key it is the value of, when it follows `key:` on the same line. */
  key?: string;
}

/** Characters after which a quote opens a quoted scalar (otherwise it is part of plain text: `it's`). */
const BEFORE_QUOTED = new Set(['', ':', '-', '[', '{', ',', '?']);

/** Every unquoted `${...}` inside a flow collection, in file order. */
export function findFlowReferences(text: string): FlowReference[] {
  const found: FlowReference[] = [];
  let depth = 0;
  let lastSignificant = ''; // last non-blank character on the current line outside quotes
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      lastSignificant = '';
      i += 1;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i += 1;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      i = lineEnd(text, i);
    } else if ((c === '"' || c === "'") && BEFORE_QUOTED.has(lastSignificant)) {
      i = quotedEnd(text, i);
      lastSignificant = c;
    } else if (c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      const end = close === -1 ? lineEnd(text, i) : close + 1;
      if (depth > 0) {
        const key = /([\w.-]+)\s*:\s*$/.exec(text.slice(text.lastIndexOf('\n', i) + 1, i))?.[1];
        found.push({ offset: i, text: text.slice(i, end), ...(key ? { key } : {}) });
      }
      i = end;
      lastSignificant = '}';
    } else {
      if (c === '{' || c === '[') depth += 1;
      else if ((c === '}' || c === ']') && depth > 0) depth -= 1;
      lastSignificant = c ?? '';
      i += 1;
    }
  }
  return found;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/** Offset just past the quoted scalar opening at `start` (`\"` escapes in double quotes, `''` in single). */
function quotedEnd(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (quote === '"' && c === '\\') i += 2;
    else if (c === quote && quote === "'" && text[i + 1] === "'") i += 2;
    else if (c === quote) return i + 1;
    else i += 1;
  }
  return text.length;
}
