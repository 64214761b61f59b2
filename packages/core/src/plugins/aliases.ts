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

/**
 * Aliases that name two packages, one per kind: `use: nats` under `sources:` loads the NATS source and
 * under `sinks:` the NATS sink (docs/decisions/nats.md). The section an entry is in decides.
 */
export const KIND_ALIASES: Readonly<Record<string, { source: string; sink: string }>> = {
  nats: { source: '@liqmon/source-nats', sink: '@liqmon/sink-nats' },
};

/** The npm package an alias names under `sources:` (`source`) or `sinks:` (`sink`), or undefined. */
export function aliasPackage(use: string, kind: 'source' | 'sink' | undefined): string | undefined {
  if (Object.hasOwn(PACKAGE_ALIASES, use)) return PACKAGE_ALIASES[use]?.package;
  if (!Object.hasOwn(KIND_ALIASES, use)) return undefined;
  const pair = KIND_ALIASES[use];
  return pair && (kind === 'source' ? pair.source : pair.sink);
}

/** Every first-party package an alias names. */
export function aliasedPackages(): string[] {
  return [...Object.values(PACKAGE_ALIASES).map((a) => a.package), ...Object.values(KIND_ALIASES).flatMap((pair) => [pair.source, pair.sink])];
}

/** Plugins that ship inside core itself. */
export const CORE_PLUGINS = {
  console: { kind: 'sink', load: async (): Promise<unknown> => (await import('../sinks/console.js')).consoleSink },
} as const satisfies Record<string, { kind: 'source' | 'sink'; load: () => Promise<unknown> }>;

/** Every built-in alias, for "did you mean". */
export const BUILTIN_ALIASES: readonly string[] = [...Object.keys(PACKAGE_ALIASES), ...Object.keys(KIND_ALIASES), ...Object.keys(CORE_PLUGINS)];

/** Aliases of one kind. */
export function aliasesOfKind(kind: 'source' | 'sink'): string[] {
  return [
    ...Object.entries(PACKAGE_ALIASES).filter(([, a]) => a.kind === kind).map(([name]) => name),
    ...Object.keys(KIND_ALIASES),
    ...Object.entries(CORE_PLUGINS).filter(([, p]) => p.kind === kind).map(([name]) => name),
  ];
}
