/**
 * The young-generation setting of deploy/ and `npm start` (docs/deploy.md, "Memory"). Without it V8
 * grows its young generation to 2 × 16 MB under a flood of frames and keeps the pages: 120-160 MB of RSS
 * where the setting keeps liqmon under 100 MB. liqmon cannot apply it to itself (V8 sizes its heap
 * when node starts, and re-running node would put a second process between a supervisor and liqmon),
 * so `liqmon start` says once how to set it when node was started without it.
 */

/** The node option, as deploy/ passes it. */
export const SEMI_SPACE_OPTION = '--max-semi-space-size=1';

/** True when node was started with a `--max-semi-space-size` of any value, on its command line or in NODE_OPTIONS. */
export function semiSpaceSizeSet(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  // Node takes dashes or underscores, `=value` or the value as the next argument.
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--max[-_]semi[-_]space[-_]size(=|$)/.test(arg));
}

/** The info line of `liqmon start` when the option is not set. */
export const MEMORY_HINT =
  `node runs with its default young generation (up to 2 x 16 MB): under a flood of liquidations liqmon's RSS can reach 120-160 MB. ` +
  `Start node with ${SEMI_SPACE_OPTION} (as deploy/ and npm start do), e.g. NODE_OPTIONS=${SEMI_SPACE_OPTION}, to stay under 100 MB ` +
  `(docs/deploy.md, "Memory")`;
