/**
 * The fake Bot API's parsers against known vectors. Most MarkdownV2 vectors are Telegram's own, from the
 * tests of its parser (tdlib test/message_entities.cpp, `TEST(MessageEntities, parse_markdown)`),
 * translated from C++ string literals; offsets are UTF-16 code units, error offsets UTF-8 bytes.
 */
import { describe, expect, it } from 'vitest';
import { parseMarkdownV2, parseTelegramHtml, TelegramParseError, type TelegramEntity } from '../../src/testing/index.js';

const e = (type: TelegramEntity['type'], offset: number, length: number, extra: Partial<TelegramEntity> = {}): TelegramEntity => ({
  type,
  offset,
  length,
  ...extra,
});

const RESERVED_ERROR = (char: string) => `Character '${char}' is reserved and must be escaped with the preceding '\\'`;

describe('MarkdownV2: single characters (tdlib)', () => {
  it('accepts every ASCII character that is not reserved, and refuses the reserved ones unless escaped', () => {
    for (let code = 1; code < 126; code++) {
      const char = String.fromCharCode(code);
      if ('_*[~`>'.includes(char)) continue; // these open entities (covered below)
      if (']()>#+-=|{}.!'.includes(char)) {
        expect(() => parseMarkdownV2(char)).toThrow(RESERVED_ERROR(char));
        expect(parseMarkdownV2(`\\${char}`)).toEqual({ text: char, entities: [] });
      } else if (char !== '\\') {
        expect(parseMarkdownV2(char)).toEqual({ text: char, entities: [] });
      }
    }
  });
});

describe('MarkdownV2: errors (tdlib vectors)', () => {
  it.each([
    ['🏟 🏟_abacaba', "Can't find end of Italic entity at byte offset 9"],
    ['🏟 🏟_abac * asd ', "Can't find end of Bold entity at byte offset 15"],
    ['🏟 🏟_abac * asd _', "Can't find end of Italic entity at byte offset 21"],
    ['🏟 🏟`', "Can't find end of Code entity at byte offset 9"],
    ['🏟 🏟```', "Can't find end of Pre entity at byte offset 9"],
    ['🏟 🏟```a', "Can't find end of Pre entity at byte offset 9"],
    ['🏟 🏟```a ', "Can't find end of PreCode entity at byte offset 9"],
    ['🏟 🏟__🏟 🏟_', "Can't find end of Italic entity at byte offset 20"],
    ['🏟 🏟_🏟 🏟__', "Can't find end of Underline entity at byte offset 19"],
    ['🏟 🏟```🏟 🏟`', "Can't find end of Code entity at byte offset 21"],
    ['🏟 🏟```🏟 🏟_', "Can't find end of PreCode entity at byte offset 9"],
    ['🏟 🏟```🏟 🏟\\`', "Can't find end of PreCode entity at byte offset 9"],
    ['[telegram\\.org](asd\\)', "Can't find end of a URL at byte offset 16"],
    ['[telegram\\.org](', "Can't find end of a URL at byte offset 16"],
    ['[telegram\\.org](asd', "Can't find end of a URL at byte offset 16"],
    ['🏟 🏟__🏟 _🏟___', "Can't find end of Italic entity at byte offset 23"],
    ['🏟 🏟__', "Can't find end of Underline entity at byte offset 9"],
    ['🏟 🏟||test\\|', "Can't find end of Spoiler entity at byte offset 9"],
    ['🏟 🏟!', RESERVED_ERROR('!')],
    ['🏟 🏟>', RESERVED_ERROR('>')],
    ['🏟 🏟![', "Can't find end of CustomEmoji entity at byte offset 9"],
    ['🏟 🏟![👍', "Can't find end of CustomEmoji entity at byte offset 9"],
    ['🏟 🏟![👍]', 'Custom emoji entity must contain a tg://emoji URL'],
    ['🏟 🏟![👍](tg://emoji?id=1234', "Can't find end of a custom emoji URL at byte offset 17"],
    ['🏟 🏟![👍](t://emoji?id=1234)', 'Custom emoji URL must have scheme tg'],
    ['🏟 🏟![👍](tg:emojis?id=1234)', 'Custom emoji URL must have host "emoji"'],
    ['🏟 🏟![👍](tg://emoji#test)', 'Custom emoji URL must have an emoji identifier'],
    ['🏟 🏟![👍](tg://emoji?test=1231&id=025)', 'Invalid custom emoji identifier specified'],
    ['>*b\n>ld \n>bo\nld*\nasd\ndef', "Can't find end of Bold entity at byte offset 1"],
    ['>\n*a*>2', RESERVED_ERROR('>')],
    ['>asd\n>q||e||w||\n||asdad', "Can't find end of Spoiler entity at byte offset 16"],
    ['>asd\n>q||ew\n||asdad', "Can't find end of Spoiler entity at byte offset 7"],
    ['>asd\n>q||e||w__\n||asdad', "Can't find end of Underline entity at byte offset 13"],
    ['>asd\n>q||e||w||a\n||asdad', "Can't find end of Spoiler entity at byte offset 13"],
  ])('%j: %s', (input, message) => {
    expect(() => parseMarkdownV2(input)).toThrow(new TelegramParseError(message));
  });
});

describe('MarkdownV2: valid text (tdlib vectors)', () => {
  it.each<[string, string, TelegramEntity[]]>([
    ['', '', []],
    ['\\\\', '\\', []],
    ['\\\\\\\\', '\\\\', []],
    ['\\\\\\\\\\_\\*\\`', '\\\\_*`', []],
    ['➡️ ➡️', '➡️ ➡️', []],
    ['🏟 🏟``', '🏟 🏟', []],
    ['🏟 🏟_abac \\* asd _', '🏟 🏟abac * asd ', [e('italic', 5, 11)]],
    ['🏟 \\.🏟_🏟\\. 🏟_', '🏟 .🏟🏟. 🏟', [e('italic', 6, 6)]],
    ['\\\\\\a\\b\\c\\d\\e\\f\\1\\2\\3\\4\\➡️\\', '\\abcdef1234\\➡️\\', []],
    ['➡️ ➡️_➡️ ➡️_', '➡️ ➡️➡️ ➡️', [e('italic', 5, 5)]],
    ['➡️ ➡️_➡️ ➡️_*➡️ ➡️*', '➡️ ➡️➡️ ➡️➡️ ➡️', [e('italic', 5, 5), e('bold', 10, 5)]],
    ['🏟 🏟_🏟 \\.🏟_', '🏟 🏟🏟 .🏟', [e('italic', 5, 6)]],
    ['🏟 🏟_🏟 *🏟*_', '🏟 🏟🏟 🏟', [e('italic', 5, 5), e('bold', 8, 2)]],
    ['🏟 🏟_🏟 __🏟___', '🏟 🏟🏟 🏟', [e('italic', 5, 5), e('underline', 8, 2)]],
    ['🏟 🏟__🏟 _🏟_ __', '🏟 🏟🏟 🏟 ', [e('underline', 5, 6), e('italic', 8, 2)]],
    ['🏟 🏟__🏟 _🏟_\\___', '🏟 🏟🏟 🏟_', [e('underline', 5, 6), e('italic', 8, 2)]],
    ['🏟 🏟`🏟 🏟```', '🏟 🏟🏟 🏟', [e('code', 5, 5)]],
    ['🏟 🏟```🏟 🏟```', '🏟 🏟 🏟', [e('pre', 5, 3, { language: '🏟' })]],
    ['🏟 🏟```🏟\n🏟```', '🏟 🏟🏟', [e('pre', 5, 2, { language: '🏟' })]],
    ['🏟 🏟```🏟\r\n🏟```', '🏟 🏟🏟', [e('pre', 5, 2, { language: '🏟' })]],
    ['🏟 🏟```🏟\n\n🏟```', '🏟 🏟\n🏟', [e('pre', 5, 3, { language: '🏟' })]],
    ['🏟 🏟```🏟 \\\\\\`🏟```', '🏟 🏟 \\`🏟', [e('pre', 5, 5, { language: '🏟' })]],
    ['🏟 🏟**', '🏟 🏟', []],
    ['||test||', 'test', [e('spoiler', 0, 4)]],
    ['🏟 🏟``````', '🏟 🏟', []],
    ['🏟 🏟____', '🏟 🏟', []],
    ['`_* *_`__*` `*__', '_* *_ ', [e('code', 0, 5), e('underline', 5, 1), e('bold', 5, 1), e('code', 5, 1)]],
    ['_* * ` `_', '   ', [e('italic', 0, 3), e('bold', 0, 1), e('code', 2, 1)]],
    ['[](telegram.org)', '', []],
    ['[ ](telegram.org)', ' ', [e('text_link', 0, 1, { url: 'http://telegram.org/' })]],
    ['[ ](as)', ' ', []],
    ['[telegram\\.org]', 'telegram.org', [e('text_link', 0, 12, { url: 'http://telegram.org/' })]],
    ['[telegram\\.org](telegram.dog)', 'telegram.org', [e('text_link', 0, 12, { url: 'http://telegram.dog/' })]],
    ['[telegram\\.org](https://telegram.dog?)', 'telegram.org', [e('text_link', 0, 12, { url: 'https://telegram.dog/?' })]],
    ['[telegram\\.org]()', 'telegram.org', []],
    ['[telegram\\.org](asdasd)', 'telegram.org', []],
    ['> \n> \n>', ' \n \n', [e('blockquote', 0, 4)]],
    ['> \\>\n \\> \n>', ' >\n > \n', [e('blockquote', 0, 3)]],
    ['abc\n> \n> \n>\ndef', 'abc\n \n \n\ndef', [e('blockquote', 4, 5)]],
    ['>', '', []],
    ['>a', 'a', [e('blockquote', 0, 1)]],
    ['\r>a', '\ra', [e('blockquote', 1, 1)]],
    ['\r\r>\r\ra\r\n\r', '\r\r\r\ra\r\n\r', [e('blockquote', 2, 5)]],
    ['>*b\n>ld \n>bo\n>ld*\nasd\ndef', 'b\nld \nbo\nld\nasd\ndef', [e('blockquote', 0, 12), e('bold', 0, 11)]],
    ['*a\n>b\n>ld \n>bo\n>ld\nasd*\ndef', 'a\nb\nld \nbo\nld\nasd\ndef', [e('bold', 0, 17), e('blockquote', 2, 12)]],
    ['>1', '1', [e('blockquote', 0, 1)]],
    ['>\n1', '\n1', [e('blockquote', 0, 1)]],
    ['>\n\r>2', '\n\r2', [e('blockquote', 0, 1), e('blockquote', 2, 1)]],
    ['>\n**>2', '\n2', [e('blockquote', 0, 1), e('blockquote', 1, 1)]],
    ['>**\n>2', '\n2', [e('blockquote', 0, 2)]],
    ['>*abcd*', 'abcd', [e('blockquote', 0, 4), e('bold', 0, 4)]],
    ['>*abcd*\n', 'abcd\n', [e('blockquote', 0, 5), e('bold', 0, 4)]],
    ['*>abcd\n*', 'abcd\n', [e('bold', 0, 5), e('blockquote', 0, 5)]],
    ['abc\n>def\n>def\n\r>ghi2\njkl', 'abc\ndef\ndef\n\rghi2\njkl', [e('blockquote', 4, 8), e('blockquote', 13, 5)]],
    ['>asd\n>q||e||w||\nasdad', 'asd\nqew\nasdad', [e('expandable_blockquote', 0, 8), e('spoiler', 5, 1)]],
    ['>asd\n>q||ew||\nasdad', 'asd\nqew\nasdad', [e('blockquote', 0, 8), e('spoiler', 5, 2)]],
    ['>asd\r\n>q||e||w||\r\nasdad', 'asd\r\nqew\r\nasdad', [e('expandable_blockquote', 0, 10), e('spoiler', 6, 1)]],
    ['>asd\r\n>q||ew||', 'asd\r\nqew', [e('blockquote', 0, 8), e('spoiler', 6, 2)]],
    ['>||', '', []],
  ])('%j', (input, text, entities) => {
    const parsed = parseMarkdownV2(input);
    expect(parsed.text).toBe(text);
    expect(new Set(parsed.entities.map((x) => JSON.stringify(x)))).toEqual(new Set(entities.map((x) => JSON.stringify(x))));
  });
});

describe('MarkdownV2: what broke the monitor liqmon replaces', () => {
  it.each(['Price 64250.1', 'BTCUSDT_251226', '1000PEPEUSDT -3%', 'a.b-c!d#e|f', '(x)', '{x}', 'a=b', '+1'])('refuses unescaped %j', (text) => {
    expect(() => parseMarkdownV2(text)).toThrow(TelegramParseError);
  });

  it('names the first reserved character, as Telegram does', () => {
    expect(() => parseMarkdownV2('Version 1.0')).toThrow("Character '.' is reserved and must be escaped with the preceding '\\'");
  });
});

describe('HTML', () => {
  it.each<[string, string, TelegramEntity[]]>([
    ['<b>bold</b> <strong>b</strong>', 'bold b', [e('bold', 0, 4), e('bold', 5, 1)]],
    ['<i>a</i><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>', 'abcdefg', [e('italic', 0, 1), e('italic', 1, 1), e('underline', 2, 1), e('underline', 3, 1), e('strikethrough', 4, 1), e('strikethrough', 5, 1), e('strikethrough', 6, 1)]],
    ['<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', 'st', [e('spoiler', 0, 1), e('spoiler', 1, 1)]],
    ['<a href="https://t.me/x?a=1&amp;b=2">link</a>', 'link', [e('text_link', 0, 4, { url: 'https://t.me/x?a=1&b=2' })]],
    ['&lt;&gt;&amp;&quot;&#60;&#x3C;', '<>&"<<', []],
    ['a & b > c &nbsp;', 'a & b > c &nbsp;', []],
    ['<B>x</B>', 'x', [e('bold', 0, 1)]],
    ['<b>🏟 <i>x</i></b>', '🏟 x', [e('bold', 0, 4), e('italic', 3, 1)]],
    ['<b></b>x', 'x', []],
    ['<blockquote expandable>q</blockquote>', 'q', [e('expandable_blockquote', 0, 1)]],
  ])('%j', (input, text, entities) => {
    expect(parseTelegramHtml(input)).toEqual({ text, entities });
  });

  it.each([
    ['a < b', 'Unsupported start tag "" at byte offset 2'],
    ['<br>', 'Unsupported start tag "br" at byte offset 0'],
    ['🏟<x>', 'Unsupported start tag "x" at byte offset 4'],
    ['<b', 'Unclosed start tag at byte offset 0'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ['<b>x', 'Can\'t find end tag corresponding to start tag "b"'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
  ])('%j: %s', (input, message) => {
    expect(() => parseTelegramHtml(input)).toThrow(new TelegramParseError(message));
  });
});
