import { describe, expect, it } from 'vitest';
import { LIQUIDATION_FIELDS } from '@liqmon/core';
import { COLUMN_LIST, COLUMNS, rowToLiquidation, rowValues, type LiquidationRow } from '../src/index.js';
import { liquidation } from './events.js';

describe('rows', () => {
  it('list the columns in LIQUIDATION_FIELDS order, and an event goes in and comes back whole', () => {
    expect(COLUMN_LIST.split(', ')).toEqual(LIQUIDATION_FIELDS.map((field) => COLUMNS[field]));
    const event = liquidation(7, { sampled: false });
    const values = rowValues(event);
    const row = Object.fromEntries(COLUMN_LIST.split(', ').map((column, i) => [column, values[i]])) as unknown as LiquidationRow;
    expect(rowToLiquidation(row)).toEqual(event);
  });
});
