/** @liqmon/core/ws: the reconnecting WebSocket client every source reuses. */
export {};
