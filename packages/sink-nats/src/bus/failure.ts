/**
 * What a NATS failure means for liqmon: a wrong login or a missing permission does not mend itself
 * (fatal, with what to fix); everything else (no server, a timeout, a server restarting) is retryable.
 */
import { DeliveryError } from '@liqmon/core';
import { AuthorizationError, PermissionViolationError, UserAuthenticationExpiredError } from '@nats-io/transport-node';

/** A DeliveryError for a failed publish or connect: `fatal` for auth and permissions, else `retryable`. */
export function classifyBusError(error: unknown, servers: readonly string[]): DeliveryError {
  const where = servers.join(', ');
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof AuthorizationError || error instanceof UserAuthenticationExpiredError || /authorization violation|authentication/i.test(text)) {
    return new DeliveryError('fatal', `NATS at ${where} refused the login: ${text}`, {
      cause: error,
      hint: 'Check `user`/`pass` or `token` (write them as ${ENV} references) against the server\'s authorization config.',
    });
  }
  if (error instanceof PermissionViolationError || /permissions violation/i.test(text)) {
    return new DeliveryError('fatal', `NATS at ${where} refused a publish: ${text}`, {
      cause: error,
      hint: 'Give this user publish permission on the subject prefix and on $JS.API.> (stream lookups), or create the stream beforehand.',
    });
  }
  if (/exists but does not hold/.test(text)) return new DeliveryError('fatal', text, { cause: error });
  return new DeliveryError('retryable', text.includes(where) ? text : `NATS at ${where}: ${text}`, { cause: error });
}
