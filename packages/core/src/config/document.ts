/**
 * The config file as a YAML document that remembers where every node came from, so that each issue
 * can point at file:line:column. Parsed with `yaml`'s parseDocument + LineCounter (rather than a plain
 * `parse`) because only the document keeps source ranges.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLError } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { findFlowReferences } from './flow-references.js';
import type { PathSegment } from './paths.js';

/**
 * Most nodes that aliases may expand to when the document becomes plain values. Real configs use a
 * handful; a "billion laughs" file would otherwise take all memory.
 */
export const MAX_ALIAS_COUNT = 1000;

/** The config expands or nests past what liqmon reads; carries the issue to report. */
export class ConfigTooComplexError extends Error {
  readonly issue: ConfigIssue;

  constructor(issue: ConfigIssue) {
    super(issue.message);
    this.issue = issue;
  }
}

function tooComplexIssue(why: string): ConfigIssue {
  return {
    path: '',
    message: `config too complex: ${why}`,
    hint: 'write the repeated parts out, or use fewer aliases and less nesting',
    line: 1,
    column: 1,
  };
}

/** A 1-based position in the config file. */
export interface Position {
  line: number;
  column: number;
}

/** A parsed config text with position lookup. */
export class ConfigDocument {
  readonly doc: Document.Parsed;
  readonly #lines: LineCounter;

  private constructor(doc: Document.Parsed, lines: LineCounter) {
    this.doc = doc;
    this.#lines = lines;
  }

  /**
   * Parses the text. A syntax error comes back as one issue, at the first error: after it the parser
   * reports every later token as unexpected, which buries the cause. Nesting too deep for the parser
   * comes back as "too complex".
   */
  static parse(text: string): { document: ConfigDocument; issues: ConfigIssue[] } {
    const lines = new LineCounter();
    let doc: Document.Parsed;
    try {
      // prettyErrors off: we print our own position and a short message instead of a code frame.
      doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
    } catch (error) {
      if (error instanceof RangeError) return { document: new ConfigDocument(parseDocument(''), lines), issues: [tooComplexIssue('it nests too deeply')] };
      throw error;
    }
    const document = new ConfigDocument(doc, lines);
    const first = doc.errors.reduce<YAMLError | undefined>((a, b) => (a && a.pos[0] <= b.pos[0] ? a : b), undefined);
    return { document, issues: first ? [document.#syntaxIssue(first, text)] : [] };
  }

  /**
   * The plain JavaScript value of the document (after interpolation, if that ran).
   * @throws ConfigTooComplexError when aliases (`*name`, `<<: *name`) expand past {@link MAX_ALIAS_COUNT}.
   */
  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    } catch (error) {
      // yaml throws a ReferenceError ("Excessive alias count ...") for alias and merge-key bombs, and
      // deep nesting overflows the stack (RangeError).
      if (error instanceof ReferenceError || error instanceof RangeError) throw new ConfigTooComplexError(tooComplexIssue(`its aliases (*name, <<: *name) expand to more than ${MAX_ALIAS_COUNT} nodes`));
      throw error;
    }
  }

  #syntaxIssue(error: YAMLError, text: string): ConfigIssue {
    const [reference, ...rest] = findFlowReferences(text);
    if (reference && reference.offset <= error.pos[0]) {
      // `{ token: ${X} }`: the braces of the reference end the flow mapping.
      const others = rest.map((r) => this.positionOf(r.offset).line);
      const also = others.length > 0 ? `; quote the other references inside { } or [ ] too (line ${[...new Set(others)].join(', ')})` : '';
      return {
        path: '',
        message: `YAML syntax error: ${reference.text} inside { } or [ ] must be in quotes (its braces end the mapping)`,
        hint: `write ${reference.key ? `${reference.key}: ` : ''}"${reference.text}"${also}`,
        ...this.positionOf(reference.offset),
      };
    }
    const hint = yamlHint(error.code);
    return {
      path: '',
      message: `YAML syntax error: ${error.message.replace(/\s+/g, ' ').trim()}`,
      ...(hint ? { hint } : {}),
      ...this.positionOf(error.pos[0]),
    };
  }

  /** Line and column of a character offset. */
  positionOf(offset: number): Position {
    const { line, col } = this.#lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * Where the node at `path` starts. With `key: true`, where its key starts (for unknown keys).
   * A path that does not exist (a missing required key) points at the key of its nearest existing
   * parent, which is the line the user has to add something under.
   */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): Position | undefined {
    let node: unknown = this.doc.contents;
    let keyNode: Node | undefined;
    let parentKey: Node | undefined;
    let found = true;
    for (const segment of path) {
      node = this.#deref(node);
      parentKey = keyNode ?? parentKey;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
        if (!pair) {
          found = false;
          break;
        }
        keyNode = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        keyNode = undefined;
        node = node.items[segment];
      } else {
        found = false;
        break;
      }
    }
    node = this.#deref(node);
    let target: Node | undefined;
    if (found) target = options?.key && keyNode ? keyNode : ((node as Node | null) ?? keyNode);
    else target = keyNode ?? parentKey ?? (node as Node | undefined);
    const offset = target?.range?.[0];
    return offset === undefined ? undefined : this.positionOf(offset);
  }

  #deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove or rename one of the two keys';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'check the indentation and the quotes on this line and the one above';
    default:
      return undefined;
  }
}
