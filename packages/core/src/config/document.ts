/**
 * The config file as a YAML document that remembers where every node came from, so that each issue
 * can point at file:line:column. Parsed with `yaml`'s parseDocument + LineCounter (rather than a plain
 * `parse`) because only the document keeps source ranges.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import type { PathSegment } from './paths.js';

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

  /** Parses the text; YAML syntax errors come back as issues with their positions. */
  static parse(text: string): { document: ConfigDocument; issues: ConfigIssue[] } {
    const lines = new LineCounter();
    // prettyErrors off: we print our own position and a short message instead of a code frame.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
    const document = new ConfigDocument(doc, lines);
    const sourceLines = text.split(/\r?\n/);
    const issues = doc.errors.map((error): ConfigIssue => {
      const { line, column } = document.positionOf(error.pos[0]);
      // `{ token: ${X} }`: braces end a flow mapping, so an unquoted reference breaks it.
      const nearVariable = [sourceLines[line - 1], sourceLines[line - 2]].some((l) => l?.includes('${'));
      const hint = nearVariable ? 'inside { } and [ ], put ${VAR} in quotes: "${VAR}"' : yamlHint(error.code);
      return {
        path: '',
        message: `YAML syntax error: ${error.message.replace(/\s+/g, ' ').trim()}`,
        ...(hint ? { hint } : {}),
        line,
        column,
      };
    });
    return { document, issues };
  }

  /** The plain JavaScript value of the document (after interpolation, if that ran). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 }) ?? {};
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
