/**
 * Small reference parsers for the markups we send to Telegram, strict where Telegram is strict, so that
 * tests can prove what Telegram will show. They follow the Bot API "Formatting options" section
 * (https://core.telegram.org/bots/api#formatting-options):
 *  - MarkdownV2: "Any character with code between 1 and 126 inclusively can be escaped anywhere with a
 *    preceding '\' character"; outside entities the characters _ * [ ] ( ) ~ ` > # + - = | { } . ! "must
 *    be escaped"; `*bold*`, `_italic_`, `__underline__`, `~strike~`, `||spoiler||`, `` `code` ``.
 *    Links, blockquotes and pre blocks are not produced by liqmon, so this parser rejects them.
 *  - HTML: tags we use (<b>), and "All <, > and & symbols that are not a part of a tag or an HTML entity
 *    must be replaced with the corresponding HTML entities".
 */

export interface Entity {
  type: 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler' | 'code';
  offset: number;
  length: number;
}

export interface Parsed {
  text: string;
  entities: Entity[];
}

export class MarkupError extends Error {}

const RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));

export function parseMarkdownV2(input: string): Parsed {
  let text = '';
  const entities: Entity[] = [];
  const open: { type: Entity['type']; offset: number }[] = [];
  const toggle = (type: Entity['type']) => {
    const top = open.at(-1);
    if (top?.type === type) {
      open.pop();
      entities.push({ type, offset: top.offset, length: text.length - top.offset });
    } else if (open.some((entity) => entity.type === type)) {
      throw new MarkupError(`entity ${type} closed out of order`);
    } else {
      open.push({ type, offset: text.length });
    }
  };
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (char === '\\') {
      const next = input[i + 1];
      const code = next?.charCodeAt(0) ?? 0;
      if (next === undefined || code < 1 || code > 126) throw new MarkupError(`'\\' at ${i} escapes nothing escapable`);
      text += next;
      i++;
    } else if (char === '*') toggle('bold');
    else if (char === '_') {
      if (input[i + 1] === '_') {
        toggle('underline');
        i++;
      } else toggle('italic');
    } else if (char === '~') toggle('strikethrough');
    else if (char === '|' && input[i + 1] === '|') {
      toggle('spoiler');
      i++;
    } else if (char === '`') {
      if (input.startsWith('```', i)) throw new MarkupError('pre blocks are not supported');
      const start = text.length;
      let j = i + 1;
      for (; j < input.length && input[j] !== '`'; j++) {
        if (input[j] === '\\') {
          const next = input[j + 1];
          if (next !== '`' && next !== '\\') throw new MarkupError(`inside code only \` and \\ may be escaped (at ${j})`);
          j++;
          text += next;
        } else text += input[j];
      }
      if (j >= input.length) throw new MarkupError('unclosed code entity');
      entities.push({ type: 'code', offset: start, length: text.length - start });
      i = j;
    } else if (RESERVED.has(char)) {
      throw new MarkupError(`Character '${char}' is reserved and must be escaped with the preceding '\\' (at ${i})`);
    } else text += char;
  }
  if (open.length > 0) throw new MarkupError(`unclosed ${open.map((entity) => entity.type).join(', ')}`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export function parseTelegramHtml(input: string): Parsed {
  let text = '';
  const entities: Entity[] = [];
  let boldAt: number | undefined;
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (char === '<') {
      if (input.startsWith('<b>', i) && boldAt === undefined) {
        boldAt = text.length;
        i += 2;
      } else if (input.startsWith('</b>', i) && boldAt !== undefined) {
        entities.push({ type: 'bold', offset: boldAt, length: text.length - boldAt });
        boldAt = undefined;
        i += 3;
      } else throw new MarkupError(`unexpected '<' at ${i}`);
    } else if (char === '&') {
      const match = /^&(lt|gt|amp|quot);/.exec(input.slice(i));
      if (!match) throw new MarkupError(`bare '&' at ${i}`);
      text += HTML_ENTITIES[match[1]!];
      i += match[0].length - 1;
    } else if (char === '>') {
      throw new MarkupError(`bare '>' at ${i}`);
    } else text += char;
  }
  if (boldAt !== undefined) throw new MarkupError('unclosed <b>');
  return { text, entities };
}
