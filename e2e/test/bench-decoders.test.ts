/**
 * The decoder benchmark (bench/decoders.mjs) at a tiny size: every venue module in bench/decoders/
 * prepares its real source offline from the package's golden files, and liqmon and tardis-dev (where
 * it maps the venue) both find at least one liquidation in every frame of the mix (not always as many:
 * a Deribit `MT` trade is two liquidations for liqmon, one for tardis-dev). Catches a venue module
 * that no longer builds a usable mix (a renamed golden file, a changed frame shape) before a long
 * `npm run bench` does. No figure is asserted: speed is the benchmark's business.
 */
import { describe, expect, it } from 'vitest';
import { decoders } from '../../bench/decoders.mjs';

describe('decoder benchmark (tiny run)', () => {
  it('decodes every venue mix, with liquidations from liqmon and from tardis-dev in every frame', async () => {
    const result = await decoders({ frames: 500, rounds: 1 });
    const venues = result.venues.map((venue) => venue.venue);
    expect(venues).toEqual(expect.arrayContaining(['binance', 'bybit']));
    for (const venue of result.venues) {
      expect(venue.baseFrames, venue.venue).toBeGreaterThan(0);
      expect(venue.liqmonEvents, venue.venue).toBeGreaterThanOrEqual(venue.frames);
      if (venue.tardisExchanges.length > 0) expect(venue.tardisEvents, venue.venue).toBeGreaterThanOrEqual(venue.frames);
      else expect(result.notMappedByTardis, venue.venue).toContain(venue.venue);
    }
  }, 60_000);
});
