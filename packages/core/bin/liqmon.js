#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build`. Exits explicitly so that a plugin's
// leftover timer or socket cannot keep a finished command alive.
import { main } from '../dist/cli/main.js';

process.exit(await main(process.argv.slice(2)));
