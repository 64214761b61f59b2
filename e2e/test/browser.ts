/**
 * A headless Chromium for the dashboard's tests: Debian's `chromium` package driven by playwright-core
 * (no browser download). Missing, the tests fail with how to install it: they never skip silently.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the browser is looked for; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots and other outputs of the browser tests, kept after the run (ignored by git). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** Start headless Chromium. @throws Error saying how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed (looked for ${CHROMIUM_PATH}): install chromium (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary. The dashboard's browser tests need it.`,
    );
  }
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** Console errors, failed requests and uncaught exceptions of a page, as lines. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The event stream is cut when the page closes or the server stops: not a page error.
    if (!request.url().includes('/api/stream')) errors.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return errors;
}

/** The artifacts folder, created if needed. */
export function artifactsDir(): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return ARTIFACTS_DIR;
}
