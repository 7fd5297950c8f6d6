import { join } from 'node:path';
import { type Browser, type BrowserServer, chromium } from 'playwright-core';

/** Where the browser suites keep what the pages downloaded (see savedDownload). */
export const DOWNLOADS = join(__dirname, '..', 'artifacts', 'downloads');

/** Debian's Chromium; nothing here ever downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Where the run's shared Chromium listens (a Playwright server's WebSocket), set by the browser project's globalSetup
 * for the jest workers.
 */
const SHARED_CHROMIUM = 'CV_E2E_CHROMIUM_WS';

/**
 * One Chromium for the whole run (global-setup-browser starts it, global-teardown-browser stops it): each browser
 * suite connects to it instead of starting its own, which cost about 1.7 CPU-seconds more a suite on our 2 cores.
 * Suites stay apart as before: each test's tab has its own context (cookies, storage), and closing a connected browser
 * closes only the contexts that suite opened. What they now share is the browser process: its crash fails the suites
 * running then, and the system clipboard (only the deposits suite uses it).
 */
export async function startSharedChromium(): Promise<BrowserServer> {
  // No signal handlers in jest's process: Playwright's would close the browser on SIGTERM or SIGHUP and leave the run
  // going (every later suite then starting its own); jest's own handling ends the run, and Playwright still kills
  // the browser when the process exits.
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  process.env[SHARED_CHROMIUM] = server.wsEndpoint();
  return server;
}

/** The run's shared Chromium (see startSharedChromium), or one of the suite's own when there is none or it is gone. */
export async function launchBrowser(): Promise<Browser> {
  const shared = process.env[SHARED_CHROMIUM];
  if (shared) {
    try {
      return await chromium.connect(shared, { timeout: 30_000 });
    } catch (e) {
      process.stderr.write(`e2e: the run's shared Chromium did not answer (${(e as Error).message}); this suite starts its own\n`);
    }
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
