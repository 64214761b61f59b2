import { deliverySchema } from '../config/schema.js';
import type { DeliveryOptions } from './types.js';

/**
 * The `delivery:` options a config without that section gets: queue 1000, retries until delivered
 * (`maxAttempts` 0), backoff 1 s to 60 s (factor 2, jitter 0.5), `sendTimeout` 30 s. Derived from the
 * config schema, which is where these defaults are written (the one definition), so that code building
 * a {@link Delivery} by hand (plugin tests, embedders) gets exactly what `liqmon start` uses.
 * Frozen: spread it to change a field, e.g. `{ ...DEFAULT_DELIVERY_OPTIONS, maxAttempts: 3 }`.
 */
export const DEFAULT_DELIVERY_OPTIONS: Readonly<DeliveryOptions> = deepFreeze(deliverySchema.parse({}));

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFreeze(inner as object);
  return Object.freeze(value);
}
