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
      return `the text ${JSON.stringify(input.length > 40 ? `${input.slice(0, 37)}...` : input)}`;
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
