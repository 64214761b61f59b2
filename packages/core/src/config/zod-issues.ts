/**
 * Turns zod issues into {@link ConfigIssue}s: the key path the user wrote, the position of the node in
 * the file, a message in the user's terms and a hint (did-you-mean for keys and enum values).
 */
import type { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import { expectedName, receivedName } from './describe.js';
import type { ConfigDocument } from './document.js';
import { formatPath, type PathSegment } from './paths.js';
import { keysAt } from './schema-keys.js';
import { closest, suggestion } from './suggest.js';

type ZodIssue = z.core.$ZodIssue;

/** Where issues of one zod parse belong. */
export interface IssueContext {
  document: ConfigDocument;
  /** File name to print. */
  file: string | undefined;
  /** The schema that was parsed (for the keys allowed at a path). */
  schema: z.ZodType;
  /** Path of the parsed value inside the config, e.g. `['sinks', 'telegram']`. */
  prefix: readonly PathSegment[];
  /** Keys also allowed at the parsed value's root (`use`, `enabled` for plugin entries). */
  rootKeys?: readonly string[];
  /** Keys at the parsed value's root whose values must not be echoed. */
  secretKeys?: ReadonlySet<string>;
}

interface Described {
  message: string;
  hint?: string;
  /** Point at the key rather than the value. */
  atKey?: boolean;
  /** Extra path below the issue's own (union branches). */
  subPath?: readonly PathSegment[];
}

/** Converts zod issues; unknown keys give one issue per key. */
export function fromZodIssues(issues: readonly ZodIssue[], context: IssueContext): ConfigIssue[] {
  return issues.flatMap((issue) => convert(issue, context));
}

function convert(issue: ZodIssue, context: IssueContext): ConfigIssue[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = [...keysAt(context.schema, path), ...(path.length === 0 ? (context.rootKeys ?? []) : [])];
    return issue.keys.map((key) =>
      make(context, [...path, key], {
        message: `unknown key \`${key}\``,
        hint: suggestion(key, allowed, 'keys allowed here') ?? 'remove it',
        atKey: true,
      }),
    );
  }
  const secret = typeof path[0] === 'string' && (context.secretKeys?.has(path[0]) ?? false);
  const described = describe(issue, secret);
  return [make(context, [...path, ...(described.subPath ?? [])], described)];
}

function make(context: IssueContext, path: readonly PathSegment[], described: Described): ConfigIssue {
  const full = [...context.prefix, ...path];
  const position = context.document.locate(full, { key: described.atKey ?? false });
  return {
    path: formatPath(full),
    message: described.message,
    ...(described.hint ? { hint: described.hint } : {}),
    ...(context.file ? { file: context.file } : {}),
    ...(position ?? {}),
  };
}

function describe(issue: ZodIssue, secret: boolean): Described {
  const key = issue.path.at(-1);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) {
        return typeof key === 'string'
          ? { message: `\`${key}\` is required`, hint: `add \`${key}:\` with ${expectedName(issue.expected)}` }
          : { message: `a value is required here: ${expectedName(issue.expected)}` };
      }
      return { message: `expected ${expectedName(issue.expected)}, got ${receivedName(issue.input, secret)}` };
    case 'invalid_union':
      return describeUnion(issue, secret);
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const near = typeof issue.input === 'string' && !secret ? closest(issue.input, values) : undefined;
      return {
        message:
          values.length === 1
            ? `must be \`${values[0]}\`, got ${receivedName(issue.input, secret)}`
            : `must be one of ${values.map((v) => `\`${v}\``).join(', ')}; got ${receivedName(issue.input, secret)}`,
        ...(near ? { hint: `did you mean \`${near}\`?` } : {}),
      };
    }
    case 'invalid_format':
      if (issue.format === 'regex' && issue.message.startsWith('Invalid string')) {
        return { message: `${receivedName(issue.input, secret)} does not have the expected form (${issue.pattern ?? 'pattern'})` };
      }
      if (issue.format !== 'regex' && issue.message.startsWith('Invalid')) {
        return { message: `must be a valid ${issue.format}, got ${receivedName(issue.input, secret)}` };
      }
      return { message: `${issue.message}; got ${receivedName(issue.input, secret)}` };
    case 'too_small':
      return { message: ownMessage(issue) ?? bound(issue.origin, issue.minimum, issue.inclusive, 'least', issue.exact) };
    case 'too_big':
      return { message: ownMessage(issue) ?? bound(issue.origin, issue.maximum, issue.inclusive, 'most', issue.exact) };
    case 'not_multiple_of':
      return { message: `must be a multiple of ${String(issue.divisor)}` };
    case 'invalid_key': {
      const inner = issue.issues[0]?.message;
      const why = inner && !inner.startsWith('Invalid') ? inner : 'use letters, digits, "-", "_" or "."';
      return { message: `\`${String(key)}\` is not a valid name here: ${why}`, atKey: true };
    }
    case 'unrecognized_keys':
      return { message: `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`, hint: 'remove it' };
    default:
      // A plugin's own message says what is wrong; for a secret, the value is cut out of it in case the
      // message quotes it.
      return { message: secret ? withoutValue(issue.message, issue.input) : issue.message };
  }
}

/** A message the schema gave itself (zod's own start with "Too big"/"Too small"). */
function ownMessage(issue: ZodIssue): string | undefined {
  return issue.message.startsWith('Too ') ? undefined : issue.message;
}

function withoutValue(message: string, input: unknown): string {
  if (typeof input !== 'string' || input.length < 4) return message;
  return message.split(input).join('[redacted]');
}

function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, side: 'least' | 'most', exact?: boolean): string {
  const n = Number(limit);
  const word = exact ? 'exactly' : `at ${side}`;
  if (origin === 'string') {
    return side === 'least' && n === 1 && !exact ? 'must not be empty' : `must be ${word} ${n} characters long`;
  }
  if (origin === 'array' || origin === 'set') return `must have ${word} ${n} item${n === 1 ? '' : 's'}`;
  if (inclusive === false) return `must be ${side === 'least' ? 'greater' : 'less'} than ${n}`;
  return `must be ${word} ${n}`;
}

/**
 * A union failed. When every branch failed on the type alone ("text or a list"), say which types fit;
 * otherwise report the branch that got furthest, which is the one the user was aiming at.
 */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion, secret: boolean): Described {
  const branches = issue.errors;
  const typeOnly = (branch: readonly ZodIssue[]) =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
  if (branches.length > 0 && branches.every(typeOnly)) {
    const expected = [...new Set(branches.map((b) => expectedName((b[0] as z.core.$ZodIssueInvalidType).expected)))];
    return { message: `expected ${expected.join(' or ')}, got ${receivedName(issue.input, secret)}` };
  }
  const aimed = branches.find((branch) => branch.length > 0 && !typeOnly(branch));
  const first = aimed?.[0];
  if (!first) return { message: 'invalid value' };
  const inner = describe(first, secret);
  const subPath = first.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  return { ...inner, subPath: [...subPath, ...(inner.subPath ?? [])] };
}
