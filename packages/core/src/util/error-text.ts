/**
 * Error text for log lines and messages, one way for every module and plugin.
 */
/**
 * The message of an error followed by the messages of its causes: fetch's bare "fetch failed" becomes
 * "fetch failed (getaddrinfo ENOTFOUND api.bybit.com)", which says what to fix.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const causes: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    if (cause.message && !causes.includes(cause.message)) causes.push(cause.message);
    cause = cause.cause;
  }
  const message = error.message;
  return causes.length > 0 ? `${message} (${causes.join(': ')})` : message;
}

/**
 * The system code behind a network failure (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ...) from the error or
 * its causes, else the error's name. Never contains a URL, so it is safe where URLs carry secrets
 * (a Telegram bot token, a Discord webhook).
 */
export function networkErrorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return error instanceof Error && error.name ? error.name : 'network error';
}
