/** @liqmon/core/testing: local fake servers and conformance checks for plugin authors. */
export {};
