/** "Did you mean" for misspelt keys, aliases and names. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word`, when it is close enough to be a likely typo: same letters in
 * another case, or an edit distance of at most a third of the word's length (at least 1, at most 3).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `did you mean "x"?` or, without a close candidate, the list of valid ones. */
export function suggestion(word: string, candidates: readonly string[], what: string): string | undefined {
  const match = closest(word, candidates);
  if (match !== undefined) return `did you mean \`${match}\`?`;
  if (candidates.length === 0) return undefined;
  return `${what}: ${candidates.map((c) => `\`${c}\``).join(', ')}`;
}
