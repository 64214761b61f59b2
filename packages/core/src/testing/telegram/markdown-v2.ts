/**
 * Telegram's MarkdownV2 parser, as the fake Bot API runs it. It follows the grammar in the Bot API
 * "MarkdownV2 style" section (https://core.telegram.org/bots/api#markdownv2-style) and the behaviour of
 * Telegram's own parser, `parse_markdown_v2` in tdlib (td/telegram/MessageEntity.cpp), whose test
 * vectors (test/message_entities.cpp) the tests of this file replay:
 *  - `\` followed by any character with code 1..126 is that character, literally, anywhere; a `\`
 *    before anything else (non-ASCII, end of text) is itself a literal backslash;
 *  - outside code and pre, `_ * [ ] ( ) ~ \` > # + - = | { } . !` must be escaped, or they open or close
 *    an entity; where they can do neither: "Character 'c' is reserved and must be escaped with the
 *    preceding '\'";
 *  - inside code and pre only `` ` `` is special;
 *  - an entity still open at the end: "Can't find end of <Type> entity at byte offset <n>", where n is
 *    the UTF-8 byte offset of the innermost unclosed entity's opening mark;
 *  - `>` at the start of a line opens a block quote; a quote line ending in `||` makes it expandable;
 *    entities opened inside a quote must close inside it.
 * Entities that end up empty are dropped, as Telegram drops them.
 */
import { sortEntities, TelegramParseError, type ParsedText, type TelegramEntity, type TelegramEntityType } from './entities.js';

type Kind = 'Bold' | 'Italic' | 'Underline' | 'Strikethrough' | 'Spoiler' | 'Code' | 'Pre' | 'PreCode' | 'TextUrl' | 'CustomEmoji';

interface Open {
  kind: Kind;
  /** Text offset (UTF-16) where the entity's text starts. */
  offset: number;
  /** UTF-8 byte offset of the opening mark in the input. */
  byte: number;
  language?: string;
}

interface Quote {
  offset: number;
  depth: number;
  expandable: boolean;
}

const TYPES: Record<Kind, TelegramEntityType> = {
  Bold: 'bold',
  Italic: 'italic',
  Underline: 'underline',
  Strikethrough: 'strikethrough',
  Spoiler: 'spoiler',
  Code: 'code',
  Pre: 'pre',
  PreCode: 'pre',
  TextUrl: 'text_link',
  CustomEmoji: 'custom_emoji',
};

const RESERVED = '_*[]()~`>#+-=|{}.!';
const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n' || char === '\r';
const reserved = (char: string) => `Character '${char}' is reserved and must be escaped with the preceding '\\'`;

/** Parse MarkdownV2 like Telegram. Throws {@link TelegramParseError} with Telegram's wording. */
export function parseMarkdownV2(input: string): ParsedText {
  const bytes = byteOffsets(input);
  let text = '';
  const entities: TelegramEntity[] = [];
  const stack: Open[] = [];
  let quote: Quote | undefined;
  let quoteMarkOnLine = false;

  const unclosed = (open: Open) => new TelegramParseError(`Can't find end of ${open.kind} entity at byte offset ${open.byte}`);
  // True while the text of the current line holds nothing but '\r's: where a `>` opens a block quote.
  let lineStart = true;
  const emit = (chars: string) => {
    text += chars;
    for (const c of chars) {
      if (c === '\n') {
        lineStart = true;
        quoteMarkOnLine = false;
      } else if (c !== '\r') lineStart = false;
    }
  };
  const atLineStart = () => lineStart;
  const closeQuote = () => {
    if (!quote) return;
    const inner = stack[stack.length - 1];
    if (stack.length > quote.depth && inner) throw unclosed(inner);
    const length = text.length - quote.offset;
    if (length > 0) entities.push({ type: quote.expandable ? 'expandable_blockquote' : 'blockquote', offset: quote.offset, length });
    quote = undefined;
  };

  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    const top = stack[stack.length - 1];
    const inCode = top?.kind === 'Code' || top?.kind === 'Pre' || top?.kind === 'PreCode';

    if (!inCode && atLineStart()) {
      if (input.startsWith('**>', i)) {
        closeQuote();
        quote = { offset: text.length, depth: stack.length, expandable: false };
        quoteMarkOnLine = true;
        i += 2;
        continue;
      }
      if (char === '>' && !quoteMarkOnLine) {
        quote ??= { offset: text.length, depth: stack.length, expandable: false };
        quoteMarkOnLine = true;
        continue;
      }
      if (quote && !quoteMarkOnLine) closeQuote();
    }

    const next = input[i + 1];
    const nextCode = next?.charCodeAt(0) ?? 0;
    if (char === '\\' && next !== undefined && nextCode >= 1 && nextCode <= 126) {
      emit(next);
      i++;
      continue;
    }
    if (!(inCode ? '`' : RESERVED).includes(char)) {
      emit(char);
      continue;
    }

    if (top && endsEntity(top.kind, char, next, input[i + 2])) {
      stack.pop();
      let skip = text.length === top.offset;
      let extra: Partial<TelegramEntity> = {};
      if (top.kind === 'Underline' || top.kind === 'Spoiler') i++;
      else if (top.kind === 'Pre' || top.kind === 'PreCode') i += 2;
      else if (top.kind === 'TextUrl') {
        const link = readUrl(input, i, bytes, text.slice(top.offset));
        i = link.end;
        if (link.url === undefined) skip = true;
        else extra = { url: link.url };
      } else if (top.kind === 'CustomEmoji') {
        const emoji = readCustomEmoji(input, i, bytes);
        i = emoji.end;
        extra = { custom_emoji_id: emoji.id };
      }
      if (top.language !== undefined) extra.language = top.language;
      if (!skip) entities.push({ type: TYPES[top.kind], offset: top.offset, length: text.length - top.offset, ...extra });
      continue;
    }

    // Not the end of an entity: the start of one, or an error.
    const byte = bytes[i]!;
    let kind: Kind;
    let language: string | undefined;
    if (char === '_') {
      kind = next === '_' ? 'Underline' : 'Italic';
      if (next === '_') i++;
    } else if (char === '*') kind = 'Bold';
    else if (char === '~') kind = 'Strikethrough';
    else if (char === '[') kind = 'TextUrl';
    else if (char === '|' && next === '|') {
      if (quote && (i + 2 >= input.length || input[i + 2] === '\n' || input[i + 2] === '\r')) {
        quote.expandable = true; // `||` closing a quote line: an expandable block quote
        i++;
        continue;
      }
      kind = 'Spoiler';
      i++;
    } else if (char === '!' && next === '[') {
      kind = 'CustomEmoji';
      i++;
    } else if (char === '`' && next === '`' && input[i + 2] === '`') {
      i += 3;
      kind = 'Pre';
      let end = i;
      while (end < input.length && !isSpace(input[end]) && input[end] !== '`') end++;
      if (end !== i && end < input.length && input[end] !== '`') {
        kind = 'PreCode';
        language = input.slice(i, end);
        i = end;
      }
      // One line break right after the opening (and its language) is not part of the text.
      if (input[i] === '\n' || input[i] === '\r') {
        const pair = (input[i + 1] === '\n' || input[i + 1] === '\r') && input[i] !== input[i + 1];
        i += pair ? 2 : 1;
      }
      i--;
    } else if (char === '`') kind = 'Code';
    else throw new TelegramParseError(reserved(char));
    stack.push({ kind, offset: text.length, byte, ...(language !== undefined ? { language } : {}) });
  }

  closeQuote();
  const inner = stack[stack.length - 1];
  if (inner) throw unclosed(inner);
  return { text, entities: sortEntities(entities) };
}

function endsEntity(kind: Kind, char: string, next: string | undefined, after: string | undefined): boolean {
  switch (kind) {
    case 'Bold':
      return char === '*';
    case 'Italic':
      return char === '_' && next !== '_';
    case 'Underline':
      return char === '_' && next === '_';
    case 'Strikethrough':
      return char === '~';
    case 'Spoiler':
      return char === '|' && next === '|';
    case 'Code':
      return char === '`';
    case 'Pre':
    case 'PreCode':
      return char === '`' && next === '`' && after === '`';
    case 'TextUrl':
    case 'CustomEmoji':
      return char === ']';
  }
}

/**
 * After the `]` of `[text]`: `(url)` with `\`-escapes, or no parenthesis (the text is the URL). Returns
 * the index of the last character consumed and the URL, or undefined when Telegram would drop the link
 * (an invalid URL leaves plain text).
 */
function readUrl(input: string, close: number, bytes: number[], label: string): { end: number; url: string | undefined } {
  if (input[close + 1] !== '(') return { end: close, url: checkUrl(label) };
  let i = close + 2;
  const begin = i;
  let url = '';
  while (i < input.length && input[i] !== ')') {
    const code = input.charCodeAt(i + 1);
    if (input[i] === '\\' && code >= 1 && code <= 126) {
      url += input[i + 1];
      i += 2;
      continue;
    }
    url += input[i++];
  }
  if (input[i] !== ')') throw new TelegramParseError(`Can't find end of a URL at byte offset ${bytes[begin] ?? bytes[input.length]}`);
  return { end: i, url: checkUrl(url) };
}

/** Telegram accepts http(s), tg and ton links, and bare host names with a dot (made http://). */
function checkUrl(url: string): string | undefined {
  if (/^(tg|ton):/i.test(url)) return url;
  const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  try {
    const parsed = new URL(withScheme);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    if (!parsed.hostname.includes('.')) return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}

function readCustomEmoji(input: string, close: number, bytes: number[]): { end: number; id: string } {
  if (input[close + 1] !== '(') throw new TelegramParseError('Custom emoji entity must contain a tg://emoji URL');
  const begin = close + 2;
  const end = input.indexOf(')', begin);
  if (end === -1) throw new TelegramParseError(`Can't find end of a custom emoji URL at byte offset ${bytes[begin] ?? bytes[input.length]}`);
  const url = input.slice(begin, end);
  const scheme = /^([a-z][a-z\d+.-]*):(?:\/\/)?([^/?#]*)/i.exec(url);
  if (!scheme || scheme[1]!.toLowerCase() !== 'tg') throw new TelegramParseError('Custom emoji URL must have scheme tg');
  if (scheme[2]!.toLowerCase() !== 'emoji') throw new TelegramParseError('Custom emoji URL must have host "emoji"');
  const query = /\?([^#]*)/.exec(url)?.[1] ?? '';
  const id = query
    .split('&')
    .map((pair) => pair.split('='))
    .find(([key]) => key === 'id')?.[1];
  if (id === undefined) throw new TelegramParseError('Custom emoji URL must have an emoji identifier');
  if (!/^[1-9]\d*$/.test(id)) throw new TelegramParseError('Invalid custom emoji identifier specified');
  return { end, id };
}

/** UTF-8 byte offset of every UTF-16 index of `input` (and of its end). */
function byteOffsets(input: string): number[] {
  const offsets: number[] = [];
  let byte = 0;
  for (let i = 0; i < input.length; i++) {
    offsets.push(byte);
    const code = input.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < input.length) {
      const low = input.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        offsets.push(byte);
        byte += 4;
        i++;
        continue;
      }
    }
    byte += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
  }
  offsets.push(byte);
  return offsets;
}
