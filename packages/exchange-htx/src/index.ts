/**
 * @liqmon/exchange-htx: liquidations of every HTX USDT-margined swap and future
 * (`public.*.liquidation_orders` on the linear-swap notification WebSocket), normalized to liqmon's `Liquidation`.
 */
import { defineSource } from '@liqmon/core';
import { htxOptionsSchema } from './options.js';
import { createHtxSource } from './source.js';

/** The HTX source plugin. Use it in a config as `use: htx`. */
const htx = defineSource({
  name: 'htx',
  description: 'HTX liquidations (liquidation_orders) of every USDT-margined swap and future',
  options: htxOptionsSchema,
  produces: () => ({ exchange: 'htx', markets: ['linear'] }),
  create: (options, context) => createHtxSource(options, context),
});

export default htx;
export { htxOptionsSchema, type HtxOptions } from './options.js';
export { decodeHtxFrame, type DecodeContext } from './decode.js';
export { ContractBook, CONTRACT_INFO_PATH, fetchContracts, type HtxContract, type HtxReference } from './instruments.js';
export { LIQUIDATION_TOPIC, notificationUrl, pongFor } from './protocol.js';
export { createHtxSource, type HtxSourceInternals } from './source.js';
