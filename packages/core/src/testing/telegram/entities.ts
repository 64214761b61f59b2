/**
 * What Telegram's markup parsers produce: the text a user sees and its entities, with offsets and
 * lengths in UTF-16 code units ("Offset in UTF-16 code units to the start of the entity", Bot API
 * MessageEntity, https://core.telegram.org/bots/api#messageentity).
 */

/** Entity types the fake parsers produce, named as the Bot API names them. */
export type TelegramEntityType =
  | 'bold'
  | 'italic'
  | 'underline'
  | 'strikethrough'
  | 'spoiler'
  | 'code'
  | 'pre'
  | 'text_link'
  | 'custom_emoji'
  | 'blockquote'
  | 'expandable_blockquote';

/** One entity of a parsed message. */
export interface TelegramEntity {
  type: TelegramEntityType;
  /** UTF-16 code units from the start of the text. */
  offset: number;
  /** Length in UTF-16 code units. */
  length: number;
  /** `text_link` only. */
  url?: string;
  /** `pre` only, when a language was given. */
  language?: string;
  /** `custom_emoji` only. */
  custom_emoji_id?: string;
}

/** A parsed message: what the user sees. */
export interface ParsedText {
  text: string;
  entities: TelegramEntity[];
}

/**
 * The markup cannot be parsed. `message` is the part Telegram puts after "Bad Request: can't parse
 * entities: ", e.g. `Character '.' is reserved and must be escaped with the preceding '\'`.
 */
export class TelegramParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TelegramParseError';
  }
}

/** UTF-8 byte length of `text` (Telegram's error offsets count bytes of the UTF-8 input). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Sort as the Bot API lists entities: by offset, outer (longer) ones first. */
export function sortEntities(entities: TelegramEntity[]): TelegramEntity[] {
  return entities
    .map((entity, index) => ({ entity, index }))
    .sort((a, b) => a.entity.offset - b.entity.offset || b.entity.length - a.entity.length || a.index - b.index)
    .map(({ entity }) => entity);
}

/**
 * Telegram trims leading and trailing whitespace from a message's text; entities move with the text
 * and are cut to it (entities left empty disappear).
 */
export function trimParsed(parsed: ParsedText): ParsedText {
  const start = parsed.text.length - parsed.text.trimStart().length;
  const text = parsed.text.trim();
  const entities: TelegramEntity[] = [];
  for (const entity of parsed.entities) {
    const from = Math.max(entity.offset - start, 0);
    const to = Math.min(entity.offset + entity.length - start, text.length);
    if (to > from) entities.push({ ...entity, offset: from, length: to - from });
  }
  return { text, entities };
}
