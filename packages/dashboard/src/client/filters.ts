/**
 * The feed's filters, kept in the page's URL (`/?exchange=binance&side=long&minUsd=100k`) so that a view
 * can be bookmarked or shared. The same names as the API's parameters.
 */
import type { LiquidationFilter } from '../filter.js';

const FIELDS = ['exchange', 'base', 'side', 'minUsd'] as const;
const AMOUNT_RE = /^\$?(\d+(?:\.\d+)?)\s*([kmb])?$/i;
const SCALE: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };

/** The filter and its text form, or an error message for the form. */
export type ParsedFilter = { filter: LiquidationFilter; query: URLSearchParams } | { error: string };

/** Read a filter from query text (the URL's or the form's). */
export function parseFilter(params: URLSearchParams): ParsedFilter {
  const filter: LiquidationFilter = {};
  const query = new URLSearchParams();
  const list = (name: 'exchange' | 'base') =>
    (params.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const exchange = list('exchange').map((e) => e.toLowerCase());
  if (exchange.length > 0) {
    filter.exchange = exchange;
    query.set('exchange', exchange.join(','));
  }
  const base = list('base').map((b) => b.toUpperCase());
  if (base.length > 0) {
    filter.base = base;
    query.set('base', base.join(','));
  }
  const side = params.get('side') ?? '';
  if (side === 'long' || side === 'short') {
    filter.side = side;
    query.set('side', side);
  } else if (side !== '') return { error: `side must be long or short, not "${side}"` };
  const minUsd = (params.get('minUsd') ?? '').trim();
  if (minUsd !== '') {
    const match = AMOUNT_RE.exec(minUsd.replaceAll(',', ''));
    if (!match) return { error: `min USD must be an amount such as 50000, 50k or 1.5M, not "${minUsd}"` };
    filter.minUsd = Number(match[1]) * (SCALE[(match[2] ?? '').toLowerCase()] ?? 1);
    query.set('minUsd', minUsd);
  }
  return { filter, query };
}

/**
 * Keep `form` and the URL in step: fill the form from the URL, and on each change write the URL and
 * call `onChange` with the new filter.
 */
export function bindFilters(form: HTMLFormElement, errorBox: HTMLElement, onChange: (filter: LiquidationFilter, query: URLSearchParams) => void): LiquidationFilter {
  const initial = parseFilter(new URLSearchParams(location.search));
  for (const name of FIELDS) {
    const input = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if (input) input.value = new URLSearchParams(location.search).get(name) ?? '';
  }
  const apply = () => {
    const data = new URLSearchParams();
    for (const name of FIELDS) {
      const input = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      if (input && input.value !== '') data.set(name, input.value);
    }
    const parsed = parseFilter(data);
    if ('error' in parsed) {
      errorBox.textContent = parsed.error;
      return;
    }
    errorBox.textContent = '';
    const search = parsed.query.toString();
    history.replaceState(null, '', search ? `?${search}` : location.pathname);
    onChange(parsed.filter, parsed.query);
  };
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('reset', () => setTimeout(apply, 0));
  form.addEventListener('submit', (event) => event.preventDefault());
  if ('error' in initial) {
    errorBox.textContent = initial.error;
    return {};
  }
  return initial.filter;
}
