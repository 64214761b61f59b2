/**
 * Liquidated USD per minute over the last hours, longs and shorts stacked (uPlot bars: the longs bar
 * is drawn as longs + shorts and the shorts bar over it), with cascade alerts as vertical marks. Live
 * events land in their minute; the chart is redrawn at most once a second.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LiquidationView, SeriesView } from '../shapes.js';
import { usd } from './format.js';

const MINUTE = 60_000;
/** Hours shown. */
export const CHART_HOURS = 6;
const LONG = '#f87171';
const SHORT = '#34d399';
const CASCADE = '#fbbf24';

export class Chart {
  readonly #plot: uPlot;
  /** Minute starts (ms), oldest first, and USD per minute by side. */
  #times: number[] = [];
  #longs: number[] = [];
  #shorts: number[] = [];
  /** Times (ms) of cascade alerts. */
  #cascades: number[] = [];
  #dirty = false;
  /** Live events before this time are left to the stored series (fetched up to it). */
  readonly #liveSince: number;

  /** Counts live liquidations from `now` on; {@link history} should cover what came before. */
  constructor(container: HTMLElement, now: number) {
    this.#liveSince = now;
    this.#reset(now);
    const bars = uPlot.paths.bars!({ size: [0.9, 12] });
    this.#plot = new uPlot(
      {
        width: Math.max(300, container.clientWidth),
        height: 300,
        series: [
          { value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(11, 16)) },
          // The stack: longs on top of shorts. The legend shows each side on its own.
          { label: 'longs', stroke: LONG, fill: LONG, paths: bars, points: { show: false }, value: (_u, _v, _s, i) => (i == null ? '' : usd(this.#longs[i] ?? 0)) },
          { label: 'shorts', stroke: SHORT, fill: SHORT, paths: bars, points: { show: false }, value: (_u, v) => (v == null ? '' : usd(v)) },
        ],
        axes: [
          { stroke: '#8a96a8', grid: { stroke: '#263241' }, ticks: { stroke: '#263241' } },
          { stroke: '#8a96a8', grid: { stroke: '#263241' }, ticks: { stroke: '#263241' }, size: 60, values: (_u, values) => values.map((v) => usd(v)) },
        ],
        // UTC like the feed; at least $1K tall so an empty chart has readable ticks.
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        // Half a step of room on each side, so the first and the current minute's bars show whole.
        scales: { x: { time: true, range: (_u, min, max) => [min - 30, max + 30] }, y: { range: (_u, _min, max) => [0, Math.max(max * 1.05, 1000)] } },
        hooks: { draw: [(u) => this.#drawCascades(u)] },
      },
      this.#data(),
      container,
    );
    new ResizeObserver(() => this.#plot.setSize({ width: Math.max(300, container.clientWidth), height: 300 })).observe(container);
  }

  /** Start from the stored series (`/api/series`). */
  history(series: SeriesView): void {
    for (const point of series.points) this.#addTo(point.time, point.longUsd, point.shortUsd);
    this.#dirty = true;
  }

  /** Liquidations that arrived. */
  add(batch: readonly LiquidationView[]): void {
    for (const event of batch) {
      if (event.time < this.#liveSince) continue;
      if (event.side === 'long') this.#addTo(event.time, event.notionalUsd, 0);
      else this.#addTo(event.time, 0, event.notionalUsd);
    }
    if (batch.length > 0) this.#dirty = true;
  }

  /** Mark a cascade alert at `time`, on its minute's bar. */
  cascade(time: number): void {
    this.#cascades.push(Math.floor(time / MINUTE) * MINUTE);
    if (this.#cascades.length > 500) this.#cascades.shift();
    this.#dirty = true;
  }

  /** Redraw if anything changed, moving the window to `now` (once a second). */
  render(now: number): void {
    const newest = this.#times.at(-1) ?? 0;
    if (Math.floor(now / MINUTE) * MINUTE > newest) {
      this.#advance(now);
      this.#dirty = true;
    }
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#plot.setData(this.#data());
  }

  /** Values drawn for the stack (for tests: the series the chart holds). */
  get series(): { times: readonly number[]; longs: readonly number[]; shorts: readonly number[] } {
    return { times: this.#times, longs: this.#longs, shorts: this.#shorts };
  }

  #reset(now: number): void {
    const last = Math.floor(now / MINUTE) * MINUTE;
    const count = CHART_HOURS * 60;
    this.#times = Array.from({ length: count }, (_, i) => last - (count - 1 - i) * MINUTE);
    this.#longs = new Array<number>(count).fill(0);
    this.#shorts = new Array<number>(count).fill(0);
  }

  #advance(now: number): void {
    const last = Math.floor(now / MINUTE) * MINUTE;
    while ((this.#times.at(-1) ?? last) < last) {
      this.#times.push((this.#times.at(-1) ?? last) + MINUTE);
      this.#longs.push(0);
      this.#shorts.push(0);
      this.#times.shift();
      this.#longs.shift();
      this.#shorts.shift();
    }
  }

  #addTo(time: number, long: number, short: number): void {
    const first = this.#times[0] ?? 0;
    if (time < first) return;
    if (time >= (this.#times.at(-1) ?? 0) + MINUTE) this.#advance(time);
    const index = Math.floor((time - (this.#times[0] ?? 0)) / MINUTE);
    if (index < 0 || index >= this.#times.length) return;
    this.#longs[index]! += long;
    this.#shorts[index]! += short;
  }

  #data(): uPlot.AlignedData {
    return [this.#times.map((t) => t / 1000), this.#longs.map((l, i) => l + (this.#shorts[i] ?? 0)), this.#shorts.slice()];
  }

  #drawCascades(u: uPlot): void {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = CASCADE;
    ctx.lineWidth = 2 * devicePixelRatio;
    for (const time of this.#cascades) {
      const x = u.valToPos(time / 1000, 'x', true);
      if (x < bbox.left || x > bbox.left + bbox.width) continue;
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  }
}
