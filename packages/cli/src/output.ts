/**
 * What the CLI writes for the user to read, redacted. Every command's session registers its config's
 * secrets in one redactor for the process (a CLI process runs one command), so text written here, and
 * every error `main` reports, has the secret values replaced, whichever command printed it and
 * whichever letter case a server echoed them in. Logs are redacted by the logger with the same redactor.
 */
import { Redactor } from '@liqmon/core';

/** The redactor of this CLI process; sessions add their config's secrets to it. */
export const cliRedactor = new Redactor();

/** Write `text` to standard output, secrets redacted. */
export function printOut(text: string): void {
  process.stdout.write(cliRedactor.redact(text));
}

/** Write `text` to standard error, secrets redacted. */
export function printErr(text: string): void {
  process.stderr.write(cliRedactor.redact(text));
}
