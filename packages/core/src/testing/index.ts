/** @liqmon/core/testing: local fake servers and conformance checks for plugin authors. */
export {
  FakeExchangeServer,
  type ClientFilter,
  type FakeClient,
  type FakeExchangeOptions,
  type RestReply,
  type RestRoute,
} from './fake-exchange.js';
