/**
 * The plugin API generation this core implements. A plugin records the API it was built against
 * (through `defineSource` / `defineSink`) and the loader refuses a mismatch with a clear error.
 * Bump it only for breaking changes to the plugin contract.
 */
export const PLUGIN_API_VERSION = 1;

/** This package's version, injected at build time. */
export const CORE_VERSION: string = '0.1.0';
