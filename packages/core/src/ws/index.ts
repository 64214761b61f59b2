/**
 * @liqmon/core/ws: the reconnecting WebSocket client every source reuses.
 * See docs/decisions/ws.md for the design and a usage example.
 */
export { ReconnectingWebSocket } from './client.js';
export { backoffDelay, BACKOFF_DEFAULTS, type BackoffOptions } from './backoff.js';
export type {
  HeartbeatOptions,
  ReconnectingWebSocketOptions,
  SocketFactory,
  WebSocketLike,
  WsConnection,
  WsEvents,
  WsState,
  WsStats,
} from './types.js';
