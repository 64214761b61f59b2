/** Words for values and types in config messages ("expected a number, got the text "abc""). */

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  null: 'nothing',
  undefined: 'nothing',
};

/** How the docs name a zod type. */
export function expectedName(type: string): string {
  return EXPECTED[type] ?? type;
}

/** Longest quoted value shown in a message. */
const MAX_SHOWN_VALUE = 40;

/**
 * Cuts every double-quoted value in `message` longer than 40 characters to 37 and `...`. Run it after
 * redaction, never before: the redactor finds a secret only whole.
 */
export function shortenQuotedValues(message: string): string {
  return message.replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, inner: string) =>
    inner.length > MAX_SHOWN_VALUE ? `"${cutInner(inner)}..."` : quoted,
  );
}

/** The first 37 characters of a JSON string's inside, not ending in half an escape. */
function cutInner(inner: string): string {
  const cut = inner.slice(0, MAX_SHOWN_VALUE - 3);
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  return trailing % 2 === 1 ? cut.slice(0, -1) : cut;
}

/**
 * What the user wrote, for "got ...". With `secret`, only its kind: messages must never echo a
 * secret value.
 */
export function receivedName(input: unknown, secret = false): string {
  if (input === null || input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  switch (typeof input) {
    case 'string':
      if (secret) return 'text (value hidden: it is a secret)';
      // Whole: long values are cut by shortenQuotedValues after redaction, or a secret cut in two
      // would no longer be recognised (and half of it would be shown).
      return `the text ${JSON.stringify(input)}`;
    case 'number':
      return secret ? 'a number' : `the number ${input}`;
    case 'boolean':
      return secret ? 'true or false' : String(input);
    case 'object':
      return 'a mapping';
    default:
      return typeof input;
  }
}
