/**
 * Telegram's HTML parser, as the fake Bot API runs it. It follows the Bot API "HTML style" section
 * (https://core.telegram.org/bots/api#html-style) and Telegram's own `parse_html` (tdlib,
 * td/telegram/MessageEntity.cpp):
 *  - supported tags: b/strong, i/em, u/ins, s/strike/del, span class="tg-spoiler", tg-spoiler, a href,
 *    code, pre, blockquote [expandable], tg-emoji emoji-id; tag and attribute names are case-insensitive;
 *  - "All numerical HTML entities are supported. The API currently supports only the following named
 *    HTML entities: &lt;, &gt;, &amp; and &quot;"; an `&` that starts none of them stays a literal `&`,
 *    and a bare `>` is text (Telegram is lenient there, although the docs ask to escape both);
 *  - a bare `<` always starts a tag; errors use Telegram's wording with UTF-8 byte offsets:
 *    `Unsupported start tag "x" at byte offset n`, `Unclosed start tag at byte offset n`,
 *    `Unexpected end tag at byte offset n`, `Unmatched end tag at byte offset n, expected "</b>", found
 *    "</i>"`, `Can't find end tag corresponding to start tag "b"`.
 */
import { sortEntities, TelegramParseError, utf8Length, type ParsedText, type TelegramEntity, type TelegramEntityType } from './entities.js';

const TAGS: Record<string, TelegramEntityType> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  attributes: Map<string, string>;
  offset: number;
}

/** Parse Telegram HTML. Throws {@link TelegramParseError} with Telegram's wording. */
export function parseTelegramHtml(input: string): ParsedText {
  let text = '';
  const entities: TelegramEntity[] = [];
  const stack: OpenTag[] = [];
  const byteAt = (index: number) => utf8Length(input.slice(0, index));
  let i = 0;
  while (i < input.length) {
    const char = input[i]!;
    if (char === '&') {
      const entity = decodeEntity(input, i);
      if (entity) {
        text += entity.text;
        i = entity.end;
      } else {
        text += '&';
        i++;
      }
      continue;
    }
    if (char !== '<') {
      text += char;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (input[i] !== '/') {
      const name = readName(input, i);
      i += name.length;
      const tag = name.toLowerCase();
      if (!(tag in TAGS)) throw new TelegramParseError(`Unsupported start tag "${tag}" at byte offset ${byteAt(begin)}`);
      const attributes = new Map<string, string>();
      for (;;) {
        while (isSpace(input[i])) i++;
        if (i >= input.length) throw new TelegramParseError(`Unclosed start tag at byte offset ${byteAt(begin)}`);
        if (input[i] === '>') break;
        const attribute = readName(input, i).toLowerCase();
        if (attribute === '') throw new TelegramParseError(`Empty attribute name in the tag "${tag}" at byte offset ${byteAt(begin)}`);
        i += attribute.length;
        while (isSpace(input[i])) i++;
        let value = '';
        if (input[i] === '=') {
          i++;
          while (isSpace(input[i])) i++;
          const quote = input[i];
          if (quote === '"' || quote === "'") {
            const end = input.indexOf(quote, i + 1);
            if (end === -1) throw new TelegramParseError(`Unclosed start tag at byte offset ${byteAt(begin)}`);
            value = decodeAll(input.slice(i + 1, end));
            i = end + 1;
          } else {
            const start = i;
            while (i < input.length && !isSpace(input[i]) && input[i] !== '>') i++;
            value = decodeAll(input.slice(start, i));
          }
        }
        attributes.set(attribute, value);
      }
      i++; // '>'
      if (tag === 'span' && attributes.get('class') !== 'tg-spoiler') {
        throw new TelegramParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteAt(begin)}`);
      }
      stack.push({ name: tag, attributes, offset: text.length });
      continue;
    }
    // An end tag.
    const open = stack.pop();
    if (!open) throw new TelegramParseError(`Unexpected end tag at byte offset ${byteAt(begin)}`);
    i++; // '/'
    const name = readName(input, i).toLowerCase();
    i += name.length;
    while (isSpace(input[i])) i++;
    if (input[i] !== '>') throw new TelegramParseError(`Unclosed end tag at byte offset ${byteAt(begin)}`);
    i++;
    if (name !== '' && name !== open.name) {
      throw new TelegramParseError(`Unmatched end tag at byte offset ${byteAt(begin)}, expected "</${open.name}>", found "</${name}>"`);
    }
    const entity = toEntity(open, text.length);
    if (entity) entities.push(entity);
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) throw new TelegramParseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(entities) };
}

function toEntity(open: OpenTag, end: number): TelegramEntity | undefined {
  const length = end - open.offset;
  if (length <= 0) return undefined;
  const type = open.name === 'blockquote' && open.attributes.has('expandable') ? 'expandable_blockquote' : TAGS[open.name]!;
  const entity: TelegramEntity = { type, offset: open.offset, length };
  if (type === 'text_link') {
    const href = open.attributes.get('href');
    if (!href) return undefined;
    entity.url = href;
  }
  if (type === 'custom_emoji') {
    const id = open.attributes.get('emoji-id');
    if (!id) return undefined;
    entity.custom_emoji_id = id;
  }
  return entity;
}

const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n' || char === '\r';

function readName(input: string, from: number): string {
  let end = from;
  while (end < input.length && /[A-Za-z0-9-]/.test(input[end]!)) end++;
  return input.slice(from, end);
}

/** `&lt;`, `&#60;`, `&#x3C;` at `at`, or undefined when it is a literal `&`. */
function decodeEntity(input: string, at: number): { text: string; end: number } | undefined {
  const match = /^&(#x[0-9a-f]{1,8}|#[0-9]{1,10}|[a-z]{2,6});/i.exec(input.slice(at, at + 16));
  if (!match) return undefined;
  const body = match[1]!;
  let text: string | undefined;
  if (body.startsWith('#')) {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) text = String.fromCodePoint(code);
  } else {
    text = NAMED[body];
  }
  return text === undefined ? undefined : { text, end: at + match[0].length };
}

function decodeAll(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; ) {
    const entity = value[i] === '&' ? decodeEntity(value, i) : undefined;
    if (entity) {
      out += entity.text;
      i = entity.end;
    } else out += value[i++];
  }
  return out;
}
