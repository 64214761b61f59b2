import { defineConfig } from 'tsup';

/**
 * Two builds: the server code for Node (with declarations), and the page's script for the browser,
 * one minified file that bundles the chart library (uPlot), so nothing is loaded from another site.
 * `public/` (the HTML, the icon) is copied beside the script; the CSS the script imports (ours and
 * uPlot's) becomes `app.css`.
 */
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    // Not the page's folder: the second build writes it at the same time.
    clean: ['*.js', '*.js.map', '*.d.ts'],
    target: 'node20',
  },
  {
    entry: { app: 'src/client/main.ts' },
    outDir: 'dist/public',
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // No source map: it would be five times the size of the script in every install.
    sourcemap: false,
    clean: true,
    dts: false,
    noExternal: [/.*/],
    publicDir: 'public',
    // uPlot's notice is a plain comment that minifying drops: keep it.
    banner: { js: '/*! uPlot, (c) Leon Sorokin, MIT License, https://github.com/leeoniya/uPlot */' },
    outExtension: () => ({ js: '.js' }),
  },
]);
