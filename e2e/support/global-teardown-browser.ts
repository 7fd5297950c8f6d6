import type { BrowserServer } from 'playwright-core';
import globalTeardown from './global-teardown';

/** The browser project's globalTeardown: stops the run's shared Chromium (see global-setup-browser), then the shared teardown. */
export default async function globalTeardownBrowser(): Promise<void> {
  try {
    await (globalThis as { cvSharedChromium?: BrowserServer }).cvSharedChromium?.close();
  } catch (e) {
    process.stderr.write(`e2e: closing the shared Chromium failed (${(e as Error).message})\n`);
  }
  await globalTeardown();
}
