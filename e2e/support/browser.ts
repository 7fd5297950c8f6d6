import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { DOWNLOADS, launchBrowser } from './chromium';
import { type AppSuite, useAppSuite } from './suite';
import { builtIndexHtml } from './web-client';

const SCREENSHOTS = join(__dirname, '..', 'artifacts', 'screenshots');

/**
 * A finished download, saved as `e2e/artifacts/downloads/<random>-<suggested name>` (gitignored; emptied when a run
 * starts); returns its path.
 * Through `saveAs`, which works on the run's shared browser (`download.path()` throws on a connected one).
 */
export async function savedDownload(download: Download): Promise<string> {
  mkdirSync(DOWNLOADS, { recursive: true });
  const path = join(DOWNLOADS, `${randomBytes(4).toString('hex')}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return path;
}

/**
 * What went wrong in the page that no assertion looks at: uncaught errors and
 * console errors, among them Content-Security-Policy refusals. The browser's own
 * "Failed to load resource: … 4xx" lines are left out: the client expects some
 * (the start-up "who am I" answers 401 to a visitor) and handles them.
 */
function watchProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    problems.push(`console.error: ${m.text()}`);
  });
}

export interface BrowserTab {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far (see watchProblems); a passing test expects none. */
  problems: string[];
}

/**
 * A browser context (own cookies and storage) on the app at `baseUrl`, desktop-sized, in English (or `options.locale`,
 * and the machine's time zone unless `options.timezoneId`). The machine is
 * offline and a test never reaches the internet: third-party requests (CoinGecko's coin images) are answered 404
 * here, as an unreachable CDN would leave them.
 */
export async function offlineContext(browser: Browser, baseUrl: string, options: { locale?: string; timezoneId?: string } = {}): Promise<BrowserContext> {
  const origin = new URL(baseUrl).origin;
  const context = await browser.newContext({ baseURL: origin, viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.fulfill({ status: 404, body: '' }),
  );
  return context;
}

/** A new page in `context`, its problems watched (see watchProblems). */
export async function tabIn(context: BrowserContext): Promise<BrowserTab> {
  const page = await context.newPage();
  const problems: string[] = [];
  watchProblems(page, problems);
  return { context, page, problems };
}

export interface BrowserSuite extends AppSuite {
  browser: Browser;
  /**
   * The current test's tab: a fresh context (own cookies and storage) and page on the suite's app, opened on the
   * test's first call (a suite whose tests bring their own tabs never starts one: each page is a renderer process).
   */
  tab(): Promise<BrowserTab>;
  /** Another tab for the current test (a second person, e.g. an admin), closed with the test. */
  openTab(): Promise<BrowserTab>;
}

/**
 * `useAppSuite` plus Chromium: the run's shared browser (see launchBrowser) for the suite, a new context and
 * page for each test that asks for one (closed after it), with `baseURL` the app's URL so
 * tests `page.goto('/markets')`. Fails fast when the client is not built.
 */
export function useBrowserSuite(env: Record<string, string> = {}): BrowserSuite {
  const suite = useAppSuite(env) as BrowserSuite;
  let tabs: BrowserTab[] = [];
  let current: Promise<BrowserTab> | undefined;
  beforeAll(async () => {
    builtIndexHtml();
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
  });
  suite.openTab = async () => {
    // The app as the browser must reach it: APP_URL (a suite may name the app http://localhost:<port>, e.g. for
    // WebAuthn, whose RP ID cannot be an IP address), which is the app's own URL unless the suite set it.
    const origin = new URL(suite.app.env.APP_URL ?? suite.app.url).origin;
    const tab = await tabIn(await offlineContext(suite.browser, origin));
    tabs.push(tab);
    return tab;
  };
  afterEach(async () => {
    await current?.catch(() => undefined);
    current = undefined;
    await Promise.all(tabs.map((t) => t.context.close()));
    tabs = [];
  });
  suite.tab = () => (current ??= suite.openTab());
  return suite;
}

/**
 * Whether screenshots of checks that PASSED are kept too (`E2E_SCREENSHOTS=all`, e.g. to review every page after a
 * restyle). By default only failures are shot: a full-page PNG costs Chromium a render and an encode, and a run
 * takes dozens that nobody opens.
 */
export const SCREENSHOT_PASSES = process.env.E2E_SCREENSHOTS === 'all';

/**
 * A full-page screenshot at `e2e/artifacts/screenshots/<suite>/<step>.png` (gitignored); returns its path.
 * The shell scrolls inside its content pane, so what a step checked lower down needs scrolling into view first.
 */
export async function screenshot(page: Page, suite: string, step: string): Promise<string> {
  const dir = join(SCREENSHOTS, suite);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${step.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Steps of a journey: each runs in a tab (the journey's own unless another is
 * given), must leave no new problem in it (see watchProblems), and is
 * screenshotted as `<NN>-<name>.png` (`<NN>-<name>-failed.png` when it fails;
 * the error names the step). A journey grows by appending `await step('…', async () => …)` calls.
 */
export function journey(tab: BrowserTab, suite: string): (name: string, body: () => Promise<void>, on?: BrowserTab) => Promise<void> {
  let n = 0;
  return async (name, body, on = tab) => {
    const shot = `${String(++n).padStart(2, '0')}-${name}`;
    const seen = on.problems.length;
    try {
      await body();
      if (on.problems.length > seen) throw new Error(`the page reported problems:\n  ${on.problems.slice(seen).join('\n  ')}`);
    } catch (e) {
      await screenshot(on.page, suite, `${shot}-failed`).catch(() => undefined);
      throw new Error(`step "${name}": ${(e as Error).message}`, { cause: e });
    }
    if (SCREENSHOT_PASSES) await screenshot(on.page, suite, shot);
  };
}

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, so the
 * page's CSP does not stop it) and returns its serious and critical
 * violations, one readable line each (rule, help, the offending elements).
 * Every rule by default; `rules` runs only those (e.g. the colour rules for a
 * second theme of a page whose structure has been checked already).
 */
/**
 * A Material dialog once it has opened. Its open animation ends by moving the
 * focus into it (autoFocus); text typed into a field before that may land in
 * the field that then takes the focus, as a code typed too early landed in the
 * step-up dialog's password. A person starts typing once the dialog is there.
 */
export async function openedDialog(page: Page, name: string): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name });
  await dialog.locator(':focus').waitFor();
  return dialog;
}

/**
 * A toast's (MatSnackBar's) staging element: a toast holds its content there,
 * aria-hidden, for 150 ms before moving it into its live region (so that
 * screen readers announce it). Checked during those 150 ms, its buttons would
 * be "focusable content hidden from assistive technology".
 */
const STAGED_TOAST = 'mat-snack-bar-container .mat-mdc-snack-bar-label > div[aria-hidden="true"]';

/**
 * axe's serious and critical violations on the page as it is, its toasts
 * announced: a check waits for a toast being staged, and one that found
 * violations while a toast opened is run again once that toast is announced.
 */
export async function seriousA11yViolations(page: Page, rules?: string[]): Promise<string[]> {
  const settled = (): Promise<void> => page.locator(STAGED_TOAST).first().waitFor({ state: 'detached' });
  await settled();
  // The ripple of a button just clicked is a real element fading out over its label: checked mid-fade, the label's
  // contrast is measured against the ripple's tint (CI saw 4.49:1 on a loaded machine). A ripple a control keeps while
  // focused (a slider's) does not go: after two seconds the page is checked as it is.
  await page
    .locator('.mat-ripple-element')
    .first()
    .waitFor({ state: 'detached', timeout: 2_000 })
    .catch(() => undefined);
  await overlaysStill(page);
  const found = await axeViolations(page, rules);
  if (found.length === 0 || (await page.locator('mat-snack-bar-container').count()) === 0) return found;
  await settled();
  await overlaysStill(page);
  return axeViolations(page, rules);
}

/**
 * Waits (at most a second) for the animations running in the overlay container to finish: a toast fades in over
 * 150 ms and out over 75 ms, and checked mid-fade its text's contrast is measured against a see-through background
 * (a full browser run saw a toast's action at 3.24:1 on #58595c, the dark surface at part opacity over the light page).
 */
async function overlaysStill(page: Page): Promise<void> {
  await page.evaluate(`Promise.race([
    Promise.all(document.getAnimations()
      .filter((a) => a.effect && a.effect.target && a.effect.target.closest && a.effect.target.closest('.cdk-overlay-container'))
      .map((a) => a.finished.catch(() => undefined))),
    new Promise((resolve) => setTimeout(resolve, 1000)),
  ])`);
}

async function axeViolations(page: Page, rules?: string[]): Promise<string[]> {
  // e2e code compiles without the DOM library: the page's globals are reached through globalThis.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (only) => {
    const options = { resultTypes: ['violations'], ...(only ? { runOnly: { type: 'rule', values: only } } : {}) };
    const result = await (globalThis as unknown as { axe: typeof axe }).axe.run(options as axe.RunOptions);
    return result.violations;
  }, rules);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const nodes = v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ')}]` : ''}`);
      const more = v.nodes.length > 5 ? ` (and ${v.nodes.length - 5} more)` : '';
      return `${v.impact} ${v.id} (${v.help}): ${nodes.join('; ')}${more}`;
    });
}

/**
 * Shows `path` in the tab's client: the first page is a full load, later ones go through the running client's router
 * (as following a link does: the popstate path), so a suite walking many pages starts the client once.
 */
export async function openInClient(page: Page, path: string): Promise<void> {
  if (page.url() === 'about:blank') {
    await page.goto(path);
    return;
  }
  await page.evaluate((to) => {
    const w = globalThis as unknown as {
      history: { pushState(s: unknown, t: string, u: string): void };
      dispatchEvent(e: unknown): void;
      PopStateEvent: new (t: string) => unknown;
    };
    w.history.pushState(null, '', to);
    w.dispatchEvent(new w.PopStateEvent('popstate'));
  }, path);
}

/**
 * Opens the select `combobox` and picks `option`, as a person does: a Material select whose options have not loaded
 * yet does not open on a click (it has nothing to show), so a click that opened nothing is made again once the
 * options are there, instead of waiting on a panel that never comes.
 */
export async function chooseOption(page: Page, combobox: string | Locator, option: Parameters<Page['getByRole']>[1]): Promise<void> {
  const select = typeof combobox === 'string' ? page.getByRole('combobox', { name: combobox }) : combobox;
  const choice = page.getByRole('option', option);
  for (let attempt = 1; ; attempt++) {
    await select.click();
    try {
      await choice.click({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= 6) throw err;
      // Closed again (Escape does nothing when it never opened), then another try.
      await page.keyboard.press('Escape');
    }
  }
}
