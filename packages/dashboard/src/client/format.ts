/** How numbers and times read on the page (the same compact USD as liqmon's alerts: `$1.25M`). */

/** `$950`, `$12.5K`, `$1.25M`, `$2.1B`. */
export function usd(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `$${trim(value / 1e9)}B`;
  if (abs >= 1e6) return `$${trim(value / 1e6)}M`;
  if (abs >= 1e3) return `$${trim(value / 1e3)}K`;
  return `$${Math.round(value)}`;
}

function trim(value: number): string {
  return value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2).replace(/\.?0+$/, '');
}

/** A price with up to 6 significant digits. */
export function price(value: number): string {
  return value >= 1000 ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : Number(value.toPrecision(6)).toString();
}

/** `14:03:07` UTC. */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** A share as `41%`. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '';
}

/** Create an element with text; never parses HTML (exchange text is untrusted). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}
