/**
 * @liqmon/dashboard: the live liquidations dashboard of liqmon and its HTTP API. The `liqmon` CLI
 * serves it from its `http:` server; docs/dashboard.md describes the page and the API's shapes.
 */
export { Dashboard, type DashboardOptions } from './dashboard.js';
export { AlertLog, ALERT_LOG_CAPACITY, type AlertLogOptions } from './alert-log.js';
export { API_INDEX } from './api.js';
export { EVENT_STREAM_LIMITS, EventStream, sseFrame, type EventStreamLimits, type EventStreamStats, type StreamResponse } from './event-stream.js';
export { isEmptyFilter, matchesFilter, type LiquidationFilter } from './filter.js';
export type { DashboardHistory, HistorySource, LiquidationQuery, SeriesQuery } from './history.js';
export { BadParameterError, MAX_LIMIT, MAX_SERIES_POINTS, Params } from './params.js';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './respond.js';
export type { AlertDelivery, AlertView, ApiError, DeliveryOutcome, DeliveryUpdate, LiquidationView, SeriesPoint, SeriesView } from './shapes.js';
