/**
 * A message of the bus as a liquidation. Messages are untrusted input like exchange frames: anything
 * but a JSON object with every documented field of the right type is a MalformedFrameError (counted and
 * skipped by core), and core's checks then judge the values (finite positive numbers, millisecond
 * times, sides). Only the documented fields are kept; `source` becomes this instance's name and
 * `receivedAt` the local receive time, as for every source.
 */
import { MalformedFrameError, type Liquidation, type RawFrame } from '@liqmon/core';

const STRINGS = ['id', 'exchange', 'market', 'symbol', 'base', 'quote', 'side', 'priceKind'] as const;
const NUMBERS = ['price', 'quantity', 'notionalUsd', 'time'] as const;

/** Decode one bus message (its UTF-8 text in `frame.data`) for the source instance `source`. */
export function decodeBusMessage(frame: RawFrame, source: string): Liquidation[] {
  let value: unknown;
  try {
    value = JSON.parse(frame.data);
  } catch (error) {
    throw new MalformedFrameError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedFrameError('not a JSON object');
  const fields = value as Record<string, unknown>;
  for (const key of STRINGS) if (typeof fields[key] !== 'string') throw new MalformedFrameError(`"${key}" is not a string`);
  for (const key of NUMBERS) if (typeof fields[key] !== 'number') throw new MalformedFrameError(`"${key}" is not a number`);
  if (typeof fields['sampled'] !== 'boolean') throw new MalformedFrameError('"sampled" is not a boolean');
  const text = fields as Record<(typeof STRINGS)[number], string>;
  const number = fields as Record<(typeof NUMBERS)[number], number>;
  return [
    {
      id: text.id,
      exchange: text.exchange,
      market: text.market,
      symbol: text.symbol,
      base: text.base,
      quote: text.quote,
      side: text.side as Liquidation['side'],
      price: number.price,
      priceKind: text.priceKind as Liquidation['priceKind'],
      quantity: number.quantity,
      notionalUsd: number.notionalUsd,
      time: number.time,
      receivedAt: frame.receivedAt,
      sampled: fields['sampled'] as boolean,
      source,
    },
  ];
}
