/** Delivery: outboxes per sink destination, merging, retries, digests, counters and draining. */
export { Delivery, DEFAULT_MAX_ALERTS_PER_MESSAGE } from './delivery.js';
export { emptyOutboxStats } from './types.js';
export { alertId } from './alert-id.js';
export { DEFAULT_DELIVERY_OPTIONS } from './defaults.js';
export { httpFailure, retryAfterMs, sendHttp, type HttpAnswer, type HttpFailureOptions, type HttpRequest } from './http.js';
export type {
  DeliveryInit,
  DeliveryOptions,
  DeliverySink,
  DeliveryState,
  DeliveryStats,
  DrainReport,
  AlertJournal,
  FailureReason,
  JournalFailure,
  JournalStats,
  JournalTarget,
  OutboxStats,
  PendingAlert,
  SettleReason,
  SinkDeliveryStats,
  Undelivered,
} from './types.js';
