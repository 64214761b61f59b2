/** Reads the recorded frames copied from shared/fixtures (see the *.source.txt beside each file). */
import { readFileSync } from 'node:fs';

/** The lines of one fixture file, in order (line N of the file is index N-1). */
export function fixtureLines(name: string): string[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}
