/**
 * The page's files: built into `dist/public/` with the package (the page's script bundles its chart
 * library), read once at start and served from memory. Nothing comes from another site, so the page
 * works with no internet and the Content-Security-Policy can allow this origin only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file ready to send. */
export interface Asset {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Where the build puts the page (beside the built server code). */
export function defaultAssetsDir(): string {
  return fileURLToPath(new URL('./public/', import.meta.url));
}

/**
 * Read the page's files: `index.html` is served at `/`, the others at `/assets/<name>`. Only files of
 * the types above are served (source maps stay on disk).
 * @throws Error naming the folder when the package was not built.
 */
export function loadAssets(dir: string = defaultAssetsDir()): Map<string, Asset> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new Error(`The dashboard's page is missing (${dir}): build @liqmon/dashboard (npm run build) or reinstall liqmon.`, { cause: error });
  }
  const assets = new Map<string, Asset>();
  for (const name of names) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (!contentType) continue;
    const path = name === 'index.html' ? '/' : `/assets/${name}`;
    assets.set(path, { body: readFileSync(join(dir, name)), contentType });
  }
  if (!assets.has('/')) throw new Error(`The dashboard's page is missing (${join(dir, 'index.html')}): build @liqmon/dashboard (npm run build) or reinstall liqmon.`);
  return assets;
}
