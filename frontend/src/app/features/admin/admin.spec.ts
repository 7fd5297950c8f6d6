import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { App } from '../../app';
import { adminGuard } from '../../core/auth/admin.guard';
import { authGuard } from '../../core/auth/auth.guard';
import { installFakeWebSocket } from '../../../testing/fake-websocket';
import { apiError, click, settle, setUpApp, submit, tick, typeInto } from '../../../testing/ui';
import { AdminAuditPage } from './admin-audit.page';
import { AdminUsersPage } from './admin-users.page';
import { LedgerAdjustmentPage } from './ledger-adjustment.page';

@Component({ selector: 'cv-admin-stub', template: 'admin area' })
class AdminStub {}
@Component({ selector: 'cv-dashboard-stub', template: 'dashboard' })
class DashboardStub {}
@Component({ selector: 'cv-settings-stub', template: 'settings' })
class SettingsStub {}
const routes = [
  { path: 'admin', canActivate: [authGuard, adminGuard], component: AdminStub },
  { path: 'dashboard', component: DashboardStub },
  { path: 'settings', component: SettingsStub },
];

async function shellAs(role: 'user' | 'admin', twoFactorEnabled = true) {
  installFakeWebSocket();
  const http = await setUpApp({ user: { role, twoFactorEnabled }, routes, imports: [App] });
  const fixture = TestBed.createComponent(App);
  await settle(fixture);
  http.match('/api/prices').forEach((r) => r.flush({ prices: {}, status: { source: 'simulated', state: 'ok', lastUpdate: null } }));
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

const navLinks = (el: HTMLElement) => [...el.querySelectorAll('nav.nav-list a')].map((a) => a.textContent?.trim());

describe('Admin access', () => {
  it('shows Settings to a signed-in user but neither the Admin entry nor the admin page to a non-admin', async () => {
    const { fixture, el } = await shellAs('user');
    expect(navLinks(el)).toContain('Settings');
    expect(navLinks(el)).not.toContain('Admin');
    await TestBed.inject(Router).navigateByUrl('/admin');
    await settle(fixture);
    expect(TestBed.inject(Router).url).toBe('/dashboard');
  });

  it('shows the Admin entry to an admin and lets them in', async () => {
    const { fixture, el } = await shellAs('admin');
    expect(navLinks(el)).toContain('Admin');
    await TestBed.inject(Router).navigateByUrl('/admin');
    await settle(fixture);
    expect(TestBed.inject(Router).url).toBe('/admin');
    expect(el.textContent).toContain('admin area');
  });

  it('sends an admin without two-factor to turn it on first, keeping the role', async () => {
    const { fixture, el } = await shellAs('admin', false);
    expect(navLinks(el)).toContain('Admin');
    await TestBed.inject(Router).navigateByUrl('/admin');
    await settle(fixture);
    expect(TestBed.inject(Router).url).toBe('/settings#two-factor');
    expect(el.textContent).not.toContain('admin area');
  });
});

describe('Admin users', () => {
  it('searches, and suspends a user (never offering it on the admin themself)', async () => {
    const http = await setUpApp({ user: { id: 'admin1', role: 'admin' } });
    const fixture = TestBed.createComponent(AdminUsersPage);
    await settle(fixture);
    const bob = { id: 'u2', name: 'Bob', email: 'bob@example.com', role: 'user', emailVerified: true, twoFactorEnabled: false, suspended: false, suspendedAt: null, lockedUntil: null, lastActiveAt: null, createdAt: '2026-11-01T00:00:00Z' };
    const me = { ...bob, id: 'admin1', name: 'Ada', email: 'ada@example.com', role: 'admin' };
    http.expectOne('/api/admin/users?limit=25').flush({ items: [me, bob], nextCursor: null });
    http.expectOne('/api/admin/role-changes?limit=100&status=pending').flush({ items: [], nextCursor: null });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const rows = () => [...el.querySelectorAll('tbody tr')];
    expect(rows()[0].querySelector('button')).toBeNull();

    await typeInto(fixture, 'input[name=search]', 'bob');
    await submit(fixture);
    http.expectOne('/api/admin/users?limit=25&search=bob').flush({ items: [bob], nextCursor: null });
    await settle(fixture);
    expect(rows()).toHaveLength(1);

    const suspend = rows()[0].querySelector('button')!;
    expect(suspend.getAttribute('aria-label')).toBe('Suspend bob@example.com');
    suspend.click();
    await settle(fixture);
    const req = http.expectOne({ method: 'PATCH', url: '/api/admin/users/u2' });
    expect(req.request.body).toEqual({ suspended: true });
    req.flush({ ...bob, suspended: true, suspendedAt: '2026-11-28T21:00:00Z' });
    await settle(fixture);
    expect(rows()[0].textContent).toContain('Suspended');
    expect(rows()[0].querySelector('button')!.textContent?.trim()).toBe('Unsuspend');
    http.verify();
  });

  it('shows the users of the search asked last when an earlier search answers after it', async () => {
    const http = await setUpApp({ user: { id: 'admin1', role: 'admin' } });
    const fixture = TestBed.createComponent(AdminUsersPage);
    await settle(fixture);
    const user = (id: string, email: string) => ({ id, name: id, email, role: 'user', emailVerified: true, twoFactorEnabled: false, suspended: false, suspendedAt: null, lockedUntil: null, lastActiveAt: null, createdAt: '2026-11-01T00:00:00Z' });
    http.expectOne('/api/admin/users?limit=25').flush({ items: [user('u1', 'ann@example.com')], nextCursor: null });
    http.expectOne('/api/admin/role-changes?limit=100&status=pending').flush({ items: [], nextCursor: null });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const emails = () => [...el.querySelectorAll('tbody tr')].map((r) => r.textContent ?? '');

    await typeInto(fixture, 'input[name=search]', 'bo');
    await submit(fixture);
    const slow = http.expectOne('/api/admin/users?limit=25&search=bo');
    await typeInto(fixture, 'input[name=search]', 'bob');
    await submit(fixture);
    http.expectOne('/api/admin/users?limit=25&search=bob').flush({ items: [user('u2', 'bob@example.com')], nextCursor: null });
    await settle(fixture);
    slow.flush({ items: [user('u3', 'boris@example.com'), user('u2', 'bob@example.com')], nextCursor: 'more-bo' });
    await settle(fixture);
    expect(emails().join(' ')).toContain('bob@example.com');
    expect(emails().join(' ')).not.toContain('boris@example.com');
    expect(el.textContent).not.toContain('Load more');
    http.verify();
  });
});

describe('Admin roles', () => {
  const bob = { id: 'u2', name: 'Bob', email: 'bob@example.com', role: 'user' as const, emailVerified: true, twoFactorEnabled: true, suspended: false, suspendedAt: null, lockedUntil: null, lastActiveAt: null, createdAt: '2026-11-01T00:00:00Z' };
  const ada = { id: 'admin1', email: 'ada@example.com' };
  const change = (over: object) => ({ id: 'c1', user: { id: 'u2', email: bob.email, name: 'Bob' }, role: 'admin', status: 'pending', requestedBy: ada, decidedBy: null, createdAt: '2026-12-01T10:00:00Z', decidedAt: null, ...over });
  const labelled = (el: HTMLElement, label: string) => [...el.querySelectorAll<HTMLElement>('button')].find((b) => b.getAttribute('aria-label') === label)!;

  async function page(users: unknown[], pending: unknown[]) {
    const http = await setUpApp({ user: { id: 'admin1', role: 'admin' } });
    const fixture = TestBed.createComponent(AdminUsersPage);
    await settle(fixture);
    http.expectOne('/api/admin/users?limit=25').flush({ items: users, nextCursor: null });
    http.expectOne('/api/admin/role-changes?limit=100&status=pending').flush({ items: pending, nextCursor: null });
    await settle(fixture);
    return { http, fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('makes a user an admin with the setup token when no other admin can approve', async () => {
    const { http, fixture, el } = await page([bob], []);
    expect(el.querySelector('[data-testid=role-change]')).toBeNull();
    labelled(el, 'Make admin: bob@example.com').click();
    await settle(fixture);
    const first = http.expectOne({ method: 'POST', url: '/api/admin/users/u2/role' });
    expect(first.request.body).toEqual({ role: 'admin' });
    expect(first.request.headers.has('X-Setup-Token')).toBe(false);
    first.flush(...apiError(403, 'SETUP_TOKEN_REQUIRED', 'No other admin can approve this change'));
    await settle(fixture);
    expect(el.querySelector('form.token')!.textContent).toContain("To make bob@example.com an admin now, enter the server's setup token");

    await typeInto(fixture, 'input[name=setupToken]', 'the-setup-token');
    await submit(fixture, el.querySelector<HTMLFormElement>('form.token'));
    const second = http.expectOne({ method: 'POST', url: '/api/admin/users/u2/role' });
    expect(second.request.headers.get('X-Setup-Token')).toBe('the-setup-token');
    second.flush({ change: change({ status: 'approved', decidedAt: '2026-12-01T10:00:01Z' }) });
    await settle(fixture);
    expect(el.querySelector('[role=status]')!.textContent).toContain('bob@example.com is now an admin.');
    expect(el.querySelector('tbody tr')!.textContent).toContain('admin');
    expect(labelled(el, 'Remove admin: bob@example.com')).toBeDefined();
    expect(el.querySelector('form.token')).toBeNull();
    http.verify();
  });

  it("shows role changes waiting for approval: approves another admin's request, and only withdraws one's own", async () => {
    const carol = { ...bob, id: 'u3', name: 'Carol', email: 'carol@example.com' };
    const fromOther = change({ id: 'c2', user: { id: 'u3', email: carol.email, name: 'Carol' }, requestedBy: { id: 'admin2', email: 'ben@example.com' } });
    const mine = change({ id: 'c3', role: 'user', user: { id: 'admin3', email: 'dan@example.com', name: 'Dan' } });
    const { http, fixture, el } = await page([carol], [fromOther, mine]);
    const items = () => [...el.querySelectorAll<HTMLElement>('[data-testid=role-change]')];
    expect(items().map((i) => i.textContent!.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^Make Carol \(carol@example\.com\) an admin · asked by ben@example\.com, .*Approve Reject$/),
      expect.stringMatching(/^Remove Dan \(dan@example\.com\) from the admins · asked by you, .*Waiting for another admin ?Withdraw$/),
    ]);
    labelled(el, 'Approve: make carol@example.com an admin').click();
    await settle(fixture);
    http.expectOne({ method: 'POST', url: '/api/admin/role-changes/c2/approve' }).flush({ change: { ...fromOther, status: 'approved', decidedBy: ada } });
    await settle(fixture);
    expect(el.querySelector('[role=status]')!.textContent).toContain('Approved: make carol@example.com an admin.');
    expect(items()).toHaveLength(1);
    expect(el.querySelector('tbody tr')!.textContent).toContain('admin');

    await click(fixture, 'Withdraw');
    http.expectOne({ method: 'POST', url: '/api/admin/role-changes/c3/reject' }).flush({ change: { ...mine, status: 'rejected', decidedBy: ada } });
    await settle(fixture);
    expect(el.querySelector('[role=status]')!.textContent).toContain('Withdrawn: remove dan@example.com from the admins.');
    expect(el.textContent).toContain('None.');
    http.verify();
  });
});

describe('Admin audit log', () => {
  it('filters by the user from the link, by action prefix, and pages with the cursor', async () => {
    const http = await setUpApp({ user: { role: 'admin' } });
    const fixture = TestBed.createComponent(AdminAuditPage);
    fixture.componentRef.setInput('userId', 'u2');
    await settle(fixture);
    const entry = { id: 'a1', action: 'auth.login', userId: 'u2', userEmail: 'bob@example.com', actorId: null, actorEmail: null, ip: '10.0.0.1', userAgent: null, requestId: 'r', details: { method: 'password' }, createdAt: '2026-11-28T20:00:00Z' };
    http.expectOne('/api/admin/audit-logs?limit=50&userId=u2').flush({ items: [entry], nextCursor: 'c1' });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('tbody')!.textContent).toContain('auth.login');
    // The account by its email, the id on hover: no raw id in the text.
    const who = el.querySelector<HTMLElement>('tbody td span[title="u2"]')!;
    expect(who.textContent).toBe('bob@example.com');
    expect(el.querySelector('tbody')!.textContent).not.toContain('u2');

    await typeInto(fixture, 'input[name=action]', 'wallet.');
    await submit(fixture);
    http.expectOne('/api/admin/audit-logs?limit=50&userId=u2&action=wallet.').flush({ items: [{ ...entry, id: 'a2', action: 'wallet.withdrawal_requested' }], nextCursor: 'c2' });
    await settle(fixture);
    await click(fixture, 'Load older entries');
    http.expectOne('/api/admin/audit-logs?limit=50&cursor=c2&userId=u2&action=wallet.').flush({ items: [{ ...entry, id: 'a3', action: 'wallet.withdrawal_approved' }], nextCursor: null });
    await settle(fixture);
    expect(el.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(el.textContent).not.toContain('Load older entries');
    http.verify();
  });

  it('names the accounts the details give by id by their email, shortens other ids, and keeps every whole id on hover', async () => {
    const http = await setUpApp({ user: { role: 'admin' } });
    const fixture = TestBed.createComponent(AdminAuditPage);
    await settle(fixture);
    const ada = { id: '4fa0158a-d1f1-48f2-a881-a532e9b23eff', email: 'ada@example.com' };
    const ann = { id: '0b8e3c2d-5f61-4a7b-9c3d-2e1f0a9b8c7d', email: 'ann@example.com' };
    const changeId = '9d2c4e6f-8a1b-4c3d-9e5f-7a6b5c4d3e2f';
    const gone = '11111111-2222-4333-8444-555555555555';
    const entry = {
      id: 'a1', action: 'admin.user_role_changed', userId: ann.id, userEmail: ann.email, actorId: 'b0b00000-0000-4000-8000-000000000001', actorEmail: 'bob@example.com',
      ip: '10.0.0.1', userAgent: null, requestId: 'r', createdAt: '2026-11-28T20:00:00Z',
      details: { from: 'user', to: 'admin', changeId, requestedBy: ada.id, approvedBy: gone },
      accounts: [ada],
    };
    const viewed = { ...entry, id: 'a2', action: 'admin.viewed', userId: null, userEmail: null, details: { route: '/api/admin/audit-logs', query: { userId: ann.id, limit: '50' } }, accounts: [ann] };
    http.expectOne('/api/admin/audit-logs?limit=50').flush({ items: [entry, viewed], nextCursor: null });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const [changed, looked] = [...el.querySelectorAll<HTMLElement>('tbody tr')].map((r) => r.querySelector<HTMLElement>('td.details')!);
    const pairs = (cell: HTMLElement) => [...cell.querySelectorAll('.kv')].map((kv) => kv.textContent!.replace(/\s+/g, ' ').trim());
    expect(pairs(changed)).toEqual(['from: user', 'to: admin', 'changeId: 9d2c4e6f…', 'requestedBy: ada@example.com', 'approvedBy: 11111111…']);
    expect(changed.querySelector(`[title="${ada.id}"]`)!.textContent).toBe('ada@example.com');
    expect(changed.querySelector(`[title="${changeId}"]`)!.textContent).toBe('9d2c4e6f…');
    expect(changed.querySelector(`[title="${gone}"]`)!.textContent).toBe('11111111…');
    // A nested value (what an admin's query asked for) by its path, its account by email.
    expect(pairs(looked)).toEqual(['route: /api/admin/audit-logs', 'query.userId: ann@example.com', 'query.limit: 50']);
    expect(looked.querySelector(`[title="${ann.id}"]`)!.textContent).toBe('ann@example.com');
    // No whole id anywhere in the table's text.
    expect(el.querySelector('tbody')!.textContent).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    http.verify();
  });
});

const adjustment = (o: Record<string, unknown> = {}) => ({
  id: 'adj-1',
  userId: 'u2',
  userEmail: 'bob@example.com',
  asset: 'USD',
  amount: '2500.00',
  usdValue: '2500.00',
  reason: 'Goodwill',
  status: 'pending',
  requestedBy: 'a1',
  requestedByEmail: 'alice@example.com',
  approvedBy: null,
  rejectedBy: null,
  rejectReason: null,
  journalId: null,
  createdAt: '2026-12-01T10:00:00Z',
  decidedAt: null,
  ...o,
});
const PENDING = '/api/admin/ledger/adjustments?limit=50&status=pending';
/** Users are named by uuid (the form checks the id's shape before sending). */
const BOB = '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11';

describe('Ledger adjustment', () => {
  it('posts a signed decimal-string amount with a reason and shows the journal id, or the server error on its field', async () => {
    const http = await setUpApp({ user: { role: 'admin' } });
    const fixture = TestBed.createComponent(LedgerAdjustmentPage);
    fixture.componentRef.setInput('userId', BOB);
    await settle(fixture);
    http.expectOne(PENDING).flush({ items: [], nextCursor: null });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.textContent).toContain('No adjustment is waiting for approval.');
    expect((el.querySelector('input[name=userId]') as HTMLInputElement).value).toBe(BOB);
    await typeInto(fixture, 'input[name=asset]', 'btc');
    await typeInto(fixture, 'input[name=amount]', '-0.00000001');
    await typeInto(fixture, 'textarea[name=reason]', 'Duplicate credit');
    await submit(fixture);
    http.expectOne('/api/admin/ledger/adjustments').flush(...apiError(422, 'INSUFFICIENT_FUNDS', 'The user does not have 0.00000001 BTC available'));
    await tick();
    await settle(fixture);
    expect(el.querySelector('input[name=amount]')!.closest('mat-form-field')!.textContent).toContain('does not have 0.00000001 BTC');

    await submit(fixture);
    const req = http.expectOne('/api/admin/ledger/adjustments');
    expect(req.request.body).toEqual({ userId: BOB, asset: 'BTC', amount: '-0.00000001', reason: 'Duplicate credit' });
    req.flush({ journalId: 'j-42', adjustment: adjustment({ asset: 'BTC', amount: '-0.00000001', status: 'posted', journalId: 'j-42' }) });
    await settle(fixture);
    expect(el.querySelector('form [role=status]')!.textContent).toContain('journal j-42');
    http.verify();
  });

  it('says when an adjustment is held for a second admin, lists it, and lets another admin approve or reject held ones', async () => {
    const http = await setUpApp({ user: { role: 'admin' } });
    const fixture = TestBed.createComponent(LedgerAdjustmentPage);
    fixture.componentRef.setInput('userId', BOB);
    await settle(fixture);
    http.expectOne(PENDING).flush({ items: [adjustment({ id: 'adj-0', amount: '-40.00', usdValue: '40.00' })], nextCursor: null });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;

    await typeInto(fixture, 'input[name=amount]', '2500');
    await typeInto(fixture, 'textarea[name=reason]', 'Goodwill');
    await submit(fixture);
    http.expectOne('/api/admin/ledger/adjustments').flush({ journalId: null, adjustment: adjustment() }, { status: 202, statusText: 'Accepted' });
    await settle(fixture);
    expect(el.querySelector('form [role=status]')!.textContent).toContain('waits for a second admin');
    const rows = () => [...el.querySelectorAll('tr[data-adjustment-id]')];
    expect(rows().map((r) => r.getAttribute('data-adjustment-id'))).toEqual(['adj-1', 'adj-0']);
    expect(rows()[0].textContent).toContain('alice@example.com');
    expect(rows()[0].textContent).toContain('2,500');

    // The requester's own approval is refused by the server: shown beside the row.
    (rows()[0].querySelector('button') as HTMLButtonElement).click();
    await tick();
    http.expectOne('/api/admin/ledger/adjustments/adj-1/approve').flush(...apiError(403, 'FORBIDDEN', 'A different admin must approve this adjustment: you requested it'));
    await settle(fixture);
    expect(el.textContent).toContain('A different admin must approve this adjustment');

    (rows()[1].querySelector('button') as HTMLButtonElement).click();
    await tick();
    http.expectOne('/api/admin/ledger/adjustments/adj-0/approve').flush({ journalId: 'j-7', adjustment: adjustment({ id: 'adj-0', amount: '-40.00', status: 'posted', journalId: 'j-7', approvedBy: 'me' }) });
    await settle(fixture);
    expect(rows()[1].textContent).toContain('posted');
    expect(el.textContent).toContain('Approved and posted: -40.00 USD (journal j-7)');

    await click(fixture, 'Reject');
    await typeInto(fixture, 'input[name=rejectNote]', 'No ticket');
    await click(fixture, 'Reject adjustment');
    const rej = http.expectOne('/api/admin/ledger/adjustments/adj-1/reject');
    expect(rej.request.body).toEqual({ reason: 'No ticket' });
    rej.flush({ journalId: null, adjustment: adjustment({ status: 'rejected', rejectedBy: 'me', rejectReason: 'No ticket' }) });
    await settle(fixture);
    expect(rows()[0].textContent).toContain('rejected');
    expect(el.textContent).toContain('Rejected: nothing was posted.');
    http.verify();
  });
});
