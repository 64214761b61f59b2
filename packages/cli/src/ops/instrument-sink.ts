/**
 * The delivery latency needs to know when the message carrying an alert was sent, and Delivery has no
 * hook for that. Rather than change delivery, the sink instance is wrapped (through the runtime's
 * `wrapSink` option): `render` boxes the rendered message together with its alerts, `measure` and
 * `send` unbox it, and a `send` that resolves reports the alerts it carried. Delivery never looks inside
 * messages (it passes them from `render` to `measure`/`send`), so the box is invisible to everyone.
 */
import type { Alert, SinkInstance } from '@liqmon/core';

const kBox = Symbol('liqmon.ops.rendered');

interface Boxed {
  readonly [kBox]: true;
  readonly message: unknown;
  readonly alerts: readonly Alert[];
}

function isBoxed(value: unknown): value is Boxed {
  return typeof value === 'object' && value !== null && kBox in value;
}

const unbox = (value: unknown): unknown => (isBoxed(value) ? value.message : value);

/**
 * Wrap `instance` so that `onDelivered(alerts)` is called after each successful send, and
 * `onFailed(alerts, error)` after each send that threw (delivery may retry it). A send that resolves
 * after its signal was aborted (timeout, shutdown) is not reported as delivered: delivery counted it as
 * failed and will retry it.
 */
export function instrumentSink(
  instance: SinkInstance,
  onDelivered: (alerts: readonly Alert[]) => void,
  onFailed?: (alerts: readonly Alert[], error: unknown) => void,
): SinkInstance {
  const measure = instance.measure;
  const stop = instance.stop;
  return {
    destinations: instance.destinations,
    limits: instance.limits,
    render: (alerts): Boxed => ({ [kBox]: true, message: instance.render(alerts), alerts }),
    ...(measure ? { measure: (message: unknown) => measure.call(instance, unbox(message)) } : {}),
    async send(message, destination, signal) {
      try {
        await instance.send(unbox(message), destination, signal);
      } catch (error) {
        if (isBoxed(message)) onFailed?.(message.alerts, error);
        throw error;
      }
      if (isBoxed(message) && !signal.aborted) onDelivered(message.alerts);
    },
    ...(stop ? { stop: () => stop.call(instance) } : {}),
  };
}
