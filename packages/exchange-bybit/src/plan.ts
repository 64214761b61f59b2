/**
 * Subscription planning: which topics go on which connection, and in which requests.
 *
 * Connections: at most `topicsPerConnection` topics each and a total `args` length safely under
 * Bybit's 21,000-character per-connection limit. Requests: batches well under that limit too, so one
 * refused request costs little and acks come back quickly.
 */
import { argsLength, ARGS_LIMIT_CHARS } from './protocol.js';

/** Budget per connection: Bybit's limit less a margin for escaping and rounding. */
export const CONNECTION_BUDGET_CHARS = ARGS_LIMIT_CHARS - 1_000;
/** Budget per subscribe request. */
export const REQUEST_BUDGET_CHARS = 5_000;
/** Most topics in one subscribe request. */
export const REQUEST_MAX_TOPICS = 100;

/**
 * Split topics into groups of at most `maxCount` topics and `maxChars` characters of args each,
 * keeping their order.
 */
export function chunkTopics(topics: readonly string[], maxCount: number, maxChars: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let chars = 2; // the brackets of the args array
  for (const topic of topics) {
    // The quoted topic plus a comma; counting a comma for the first one too errs on the safe side.
    const cost = argsLength([topic]) - 1;
    if (current.length > 0 && (current.length >= maxCount || chars + cost > maxChars)) {
      chunks.push(current);
      current = [];
      chars = 2;
    }
    current.push(topic);
    chars += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Topics per connection. */
export function planConnections(topics: readonly string[], topicsPerConnection: number): string[][] {
  return chunkTopics(topics, topicsPerConnection, CONNECTION_BUDGET_CHARS);
}

/** Subscribe requests for the topics of one connection. */
export function planRequests(topics: readonly string[]): string[][] {
  return chunkTopics(topics, REQUEST_MAX_TOPICS, REQUEST_BUDGET_CHARS);
}

/** Room left on a connection that carries `current` topics: how many of `candidates` it can take. */
export function roomFor(current: readonly string[], candidates: readonly string[], topicsPerConnection: number): number {
  let count = current.length;
  let chars = argsLength(current);
  let taken = 0;
  for (const topic of candidates) {
    const cost = argsLength([topic]) - 1; // the topic plus one comma
    if (count + 1 > topicsPerConnection || chars + cost > CONNECTION_BUDGET_CHARS) break;
    count += 1;
    chars += cost;
    taken += 1;
  }
  return taken;
}
