#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm install` in the
// repository). Exits explicitly so that a plugin's leftover timer or socket cannot keep a finished
// command alive.
let cli;
try {
  cli = await import('../dist/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('liqmon: the CLI is not built yet.\n  hint: run `npm run build` in the liqmon repository.\n');
  process.exit(1);
}
// Under `npx`/`npm start` a killed npm does not pass the signal on: stop when it goes away.
cli.stopWithNpmWrapper();
process.exit(await cli.main(process.argv.slice(2)));
