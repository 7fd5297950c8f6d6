import { existsSync, rmSync } from 'node:fs';
import { CHROMIUM, DOWNLOADS, startSharedChromium } from './chromium';
import globalSetup from './global-setup';

/**
 * The browser project's globalSetup: the one every e2e-type project has (once per run, however many of them run), then
 * an empty downloads folder and the Chromium the browser suites share (see startSharedChromium;
 * global-teardown-browser stops it). Jest runs a project's globalSetup only when that project has tests in the run, so
 * a run of other projects starts no browser.
 */
export default async function globalSetupBrowser(): Promise<void> {
  await globalSetup();
  // The last run's downloads.
  rmSync(DOWNLOADS, { recursive: true, force: true });
  // Where Chromium is missing, the suites fail on their own launch, naming it.
  if (!existsSync(CHROMIUM)) return;
  try {
    (globalThis as { cvSharedChromium?: unknown }).cvSharedChromium = await startSharedChromium();
  } catch (e) {
    process.stderr.write(`e2e: no shared Chromium (${(e as Error).message}); each browser suite starts its own\n`);
  }
}
