/**
 * Built-in `use:` aliases. Every alias except `console` names a separate npm package that core loads
 * with a dynamic import: core never imports a plugin statically, so installing core alone stays small
 * and a plugin can be released on its own.
 */

/** Alias -> npm package. */
export const PACKAGE_ALIASES: Readonly<Record<string, { package: string; kind: 'source' | 'sink' }>> = {
  binance: { package: '@liqmon/exchange-binance', kind: 'source' },
  bitfinex: { package: '@liqmon/exchange-bitfinex', kind: 'source' },
  bitget: { package: '@liqmon/exchange-bitget', kind: 'source' },
  bitmex: { package: '@liqmon/exchange-bitmex', kind: 'source' },
  bybit: { package: '@liqmon/exchange-bybit', kind: 'source' },
  deribit: { package: '@liqmon/exchange-deribit', kind: 'source' },
  dydx: { package: '@liqmon/exchange-dydx', kind: 'source' },
  gate: { package: '@liqmon/exchange-gate', kind: 'source' },
  htx: { package: '@liqmon/exchange-htx', kind: 'source' },
  kraken: { package: '@liqmon/exchange-kraken', kind: 'source' },
  okx: { package: '@liqmon/exchange-okx', kind: 'source' },
  telegram: { package: '@liqmon/sink-telegram', kind: 'sink' },
  discord: { package: '@liqmon/sink-discord', kind: 'sink' },
  webhook: { package: '@liqmon/sink-webhook', kind: 'sink' },
  slack: { package: '@liqmon/sink-slack', kind: 'sink' },
  ntfy: { package: '@liqmon/sink-ntfy', kind: 'sink' },
};

/** Plugins that ship inside core itself. */
export const CORE_PLUGINS = {
  console: { kind: 'sink', load: async (): Promise<unknown> => (await import('../sinks/console.js')).consoleSink },
} as const satisfies Record<string, { kind: 'source' | 'sink'; load: () => Promise<unknown> }>;

/** Every built-in alias, for "did you mean". */
export const BUILTIN_ALIASES: readonly string[] = [...Object.keys(PACKAGE_ALIASES), ...Object.keys(CORE_PLUGINS)];

/** Aliases of one kind. */
export function aliasesOfKind(kind: 'source' | 'sink'): string[] {
  return [
    ...Object.entries(PACKAGE_ALIASES).filter(([, a]) => a.kind === kind).map(([name]) => name),
    ...Object.entries(CORE_PLUGINS).filter(([, p]) => p.kind === kind).map(([name]) => name),
  ];
}
