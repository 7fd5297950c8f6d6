import type { Page } from 'playwright-core';
import request from 'supertest';
import { openInClient, SCREENSHOT_PASSES, screenshot, type BrowserTab, useBrowserSuite } from '../support/browser';
import { createUser, promoteToAdmin, type TestUser } from '../support/factories';
import { fund } from '../support/money';

/**
 * The back office as an admin reads it on a laptop. On main, the users table cut its last action at 1440 and 1280 px
 * ("Adjust balar": the actions never wrapped, so the table outgrew its scroll box), and the audit log showed raw user
 * ids in its details (who requested, approved; what an admin's query filtered by). Every action must be whole and on
 * the screen, and the audit log must name people by their email, with the id only on hover.
 */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

describe('browser: admin pages show every action whole and people by email, not by id', () => {
  const suite = useBrowserSuite();
  let admin: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true, name: 'Ada Admin' });
    // Rows that show every action and label: a customer (Suspend, Make admin), a suspended one (Unsuspend, the longest
    // label), a second admin (Remove admin), with long names and an email as long as people have them.
    customer = await createUser(suite.app, suite.mail, {
      name: 'Maximiliana Konstantina Alexandrova-Wolkenstein',
      email: 'maximiliana.konstantina.alexandrova.wolkenstein@example.com',
    });
    const suspended = await createUser(suite.app, suite.mail, { name: 'Bartholomew Fitzgerald-Montgomery' });
    await request(suite.app.url).patch(`/api/admin/users/${suspended.id}`).set(admin.auth).send({ suspended: true }).expect(200);
    await promoteToAdmin(suite.app, admin, await createUser(suite.app, suite.mail, { name: 'Second Admin' }));
    // Audit entries whose details name accounts and other things by id: a ledger adjustment (its id, its journal's,
    // who requested it) and an admin's look at one user's log (the query's userId).
    await fund(suite.app, admin, customer, 'USD', '250');
    await request(suite.app.url).get(`/api/admin/audit-logs?userId=${customer.id}`).set(admin.auth).expect(200);
  });

  /** The test's tab, the admin signed in (a backup code per sign-in), showing `path` at `width` px. */
  async function adminTab(path: string, width: number): Promise<BrowserTab> {
    const tab = await suite.tab();
    const res = await tab.context.request.post('/api/auth/login', {
      data: { email: admin.email, password: admin.password, twoFactorCode: admin.backupCodes!.shift() },
    });
    expect(res.status()).toBe(200);
    await tab.page.setViewportSize({ width, height: 900 });
    await openInClient(tab.page, path);
    return tab;
  }

  /** Each action of the users table that is cut (its text wider than its box) or not wholly visible (off the screen, or past its table's scroll box). */
  async function clippedActions(page: Page): Promise<string[]> {
    return page.evaluate(`(() => {
      const found = [];
      const width = document.documentElement.clientWidth;
      const cells = [...document.querySelectorAll('table.data tbody td.actions')];
      if (!cells.length) return ['no actions cell'];
      for (const cell of cells) {
        const wrap = cell.closest('.table-wrap').getBoundingClientRect();
        for (const el of cell.querySelectorAll('button, a')) {
          const name = el.innerText.trim();
          const box = el.getBoundingClientRect();
          // The label's text against its own box, and that box against the button's (whose ripple may overhang it).
          const label = el.querySelector('.mdc-button__label') || el;
          const text = label.getBoundingClientRect();
          if (label.scrollWidth > label.clientWidth + 0.5 || text.left < box.left - 0.5 || text.right > box.right + 0.5)
            found.push('cut: "' + name + '" (text ' + label.scrollWidth + ' in ' + label.clientWidth + ', ' + Math.round(text.left) + '..' + Math.round(text.right) + ' in ' + Math.round(box.left) + '..' + Math.round(box.right) + ')');
          if (box.left < -0.5 || box.right > width + 0.5) found.push('off screen: "' + name + '" at ' + Math.round(box.left) + '..' + Math.round(box.right));
          if (box.left < wrap.left - 0.5 || box.right > wrap.right + 0.5)
            found.push('past the table box: "' + name + '" at ' + Math.round(box.left) + '..' + Math.round(box.right) + ' (box ' + Math.round(wrap.left) + '..' + Math.round(wrap.right) + ')');
        }
      }
      return found;
    })()`);
  }

  it.each([1440, 1280])('users at %i px: every action label is whole and on the screen, without scrolling the table', async (width) => {
    const { page, problems } = await adminTab('/admin/users', width);
    await page.getByRole('button', { name: /^Unsuspend / }).waitFor();
    await page.getByRole('link', { name: `Adjust balance of ${customer.email}` }).waitFor();
    const labels = await page.locator('table.data tbody td.actions').first().locator('button, a').allInnerTexts();
    const clipped = await clippedActions(page);
    if (clipped.length || SCREENSHOT_PASSES) await screenshot(page, 'admin-pages', `users-${width}`);
    expect({ clipped, problems }).toEqual({ clipped: [], problems: [] });
    // Every row's actions, each whole: on main the last one read "Adjust balar".
    expect(labels.map((l) => l.trim())).toEqual(expect.arrayContaining(['Audit log', 'Adjust balance']));
  });

  it('the audit log names accounts by email, the id on hover, and shows no id as text', async () => {
    const { page, problems } = await adminTab('/admin/audit', 1280);
    const adjustment = page.getByRole('row').filter({ hasText: 'ledger.adjustment' }).first();
    await adjustment.waitFor();
    // Whose balance, who did it, and who requested it (a detail naming an account by id): by email, the id on hover.
    await expect(adjustment.getByTitle(customer.id, { exact: true }).first().innerText()).resolves.toBe(customer.email);
    await expect(adjustment.getByTitle(admin.id, { exact: true }).allInnerTexts()).resolves.toEqual([admin.email, admin.email]);
    const looked = page.getByRole('row').filter({ hasText: 'query.userId' }).first();
    await expect(looked.getByTitle(customer.id, { exact: true }).innerText()).resolves.toBe(customer.email);
    const text = await page.locator('main').innerText();
    const ids = text.match(UUID) ?? [];
    if (ids.length || SCREENSHOT_PASSES) await screenshot(page, 'admin-pages', 'audit');
    expect({ ids, problems }).toEqual({ ids: [], problems: [] });
  });
});
