/**
 * The checks Discord makes of an Execute Webhook body, for the fake Discord of `fake-discord.ts`: every message and embed
 * limit in code points (https://discord.com/developers/docs/resources/message#embed-object-embed-limits),
 * reported as the nested `errors` object of a 400 "Invalid Form Body" (code 50035), whose leaves are
 * `_errors: [{ code, message }]` (https://discord.com/developers/docs/reference#error-messages).
 */
import { codePointLength, DISCORD_LIMITS } from '../format/render-discord.js';

/** A plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Discord's nested form errors: keys follow the body's path, `_errors` hold the problems. */
export type ErrorTree = { _errors?: { code: string; message: string }[]; [key: string]: ErrorTree | { code: string; message: string }[] | undefined };

/** Discord's checks of an Execute Webhook body, as a nested `errors` object (empty when valid). */
export function validateBody(body: Record<string, unknown>): ErrorTree {
  const errors: ErrorTree = {};
  const at = (path: (string | number)[], code: string, message: string) => {
    let node = errors;
    for (const key of path) node = (node[String(key)] ??= {}) as ErrorTree;
    (node._errors ??= []).push({ code, message });
  };
  const tooLong = (path: (string | number)[], value: unknown, max: number, required = false) => {
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || (required && value.length === 0)) return at(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    if (codePointLength(value) > max) at(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  };
  tooLong(['content'], body.content, DISCORD_LIMITS.content);
  if (body.username !== undefined && (typeof body.username !== 'string' || codePointLength(body.username) < 1 || codePointLength(body.username) > 80)) {
    at(['username'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 80 in length.');
  }
  const embeds = Array.isArray(body.embeds) ? (body.embeds as unknown[]) : [];
  if (embeds.length > DISCORD_LIMITS.embeds) at(['embeds'], 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.embeds} or fewer in length.`);
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isRecord(embed)) return at(['embeds', i], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    const footer = isRecord(embed.footer) ? embed.footer : undefined;
    const author = isRecord(embed.author) ? embed.author : undefined;
    tooLong(['embeds', i, 'title'], embed.title, DISCORD_LIMITS.title);
    tooLong(['embeds', i, 'description'], embed.description, DISCORD_LIMITS.description);
    if (footer) tooLong(['embeds', i, 'footer', 'text'], footer.text, DISCORD_LIMITS.footer, true);
    if (author) tooLong(['embeds', i, 'author', 'name'], author.name, DISCORD_LIMITS.author, true);
    if (typeof embed.timestamp === 'string' && Number.isNaN(Date.parse(embed.timestamp))) {
      at(['embeds', i, 'timestamp'], 'DATE_TYPE_PARSE', 'Could not parse the date. Should be ISO8601.');
    }
    const fields = Array.isArray(embed.fields) ? (embed.fields as unknown[]) : [];
    if (fields.length > DISCORD_LIMITS.fields) at(['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.fields} or fewer in length.`);
    fields.forEach((field, j) => {
      const f = isRecord(field) ? field : {};
      tooLong(['embeds', i, 'fields', j, 'name'], f.name, DISCORD_LIMITS.fieldName, true);
      tooLong(['embeds', i, 'fields', j, 'value'], f.value, DISCORD_LIMITS.fieldValue, true);
      total += textLength(f.name) + textLength(f.value);
    });
    total += textLength(embed.title) + textLength(embed.description) + textLength(footer?.text) + textLength(author?.name);
  });
  if (total > DISCORD_LIMITS.total) at(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${DISCORD_LIMITS.total}`);
  return errors;
}

const textLength = (value: unknown): number => (typeof value === 'string' ? codePointLength(value) : 0);

