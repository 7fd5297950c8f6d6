import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ActivityDto } from '../../api/models';
import { buttonByText, chooseOption, rows, tick } from '../../../testing/dom';
import { TransactionsPage } from './transactions.page';

const ev = (id: string, patch: Partial<ActivityDto>): ActivityDto => ({
  id,
  type: 'trade',
  createdAt: '2026-11-20T12:00:00Z',
  description: 'Bought 0.002 BTC at $50,000.00 (fee $0.10)',
  reference: 'order:x:fill',
  legs: [
    { asset: 'BTC', amount: '0.00200000', balanceAfter: '0.01000000' },
    { asset: 'USD', amount: '-100.00', balanceAfter: '899.90' },
  ],
  fee: { asset: 'USD', amount: '0.10' },
  price: '50000.00',
  usdValue: '100.00',
  lines: [
    { id: '11', kind: 'trade', asset: 'USD', bucket: 'available', amount: '-100.00' },
    { id: '12', kind: 'trade', asset: 'BTC', bucket: 'available', amount: '0.00200000' },
    { id: '13', kind: 'fee', asset: 'USD', bucket: 'available', amount: '-0.10' },
  ],
  ...patch,
});
const deposit = (id: string, createdAt = '2026-11-01T10:00:00Z') =>
  ev(id, {
    type: 'adjustment',
    createdAt,
    description: 'Funding',
    legs: [{ asset: 'USD', amount: '1000.00', balanceAfter: '1000.00' }],
    fee: null,
    price: null,
    usdValue: '1000.00',
    lines: [{ id: '1', kind: 'adjustment', asset: 'USD', bucket: 'available', amount: '1000.00' }],
  });
const withdrawal = (id: string) =>
  ev(id, {
    type: 'withdrawal',
    legs: [{ asset: 'BTC', amount: '-0.00050000', balanceAfter: '0.00940000' }],
    fee: { asset: 'BTC', amount: '0.00010000' },
    price: null,
    usdValue: null,
    lines: [
      { id: '20', kind: 'withdrawal', asset: 'BTC', bucket: 'locked', amount: '-0.00050000' },
      { id: '21', kind: 'fee', asset: 'BTC', bucket: 'locked', amount: '-0.00010000' },
    ],
  });
const stats = {
  count: 4, firstAt: '2026-11-01T10:00:00Z', lastAt: '2026-11-20T12:00:00Z',
  byType: [{ type: 'deposit', count: 1 }, { type: 'trade', count: 3 }],
  byAsset: [
    { asset: 'BTC', credited: '0.01', debited: '0', fees: '0', net: '0.01' },
    { asset: 'USD', credited: '1000.00', debited: '500.50', fees: '0.50', net: '499.50' },
  ],
};

describe('TransactionsPage', () => {
  let http: HttpTestingController;
  const isList = (type?: string, cursor?: string) => (r: { url: string; params: { get(k: string): string | null } }) =>
    r.url === '/api/transactions/activity' && r.params.get('type') === (type ?? null) && r.params.get('cursor') === (cursor ?? null);

  async function open() {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(TransactionsPage);
    await tick();
    http.expectOne('/api/transactions/summary/stats').flush({ stats });
    http.expectOne(isList()).flush({ items: [ev('e2', {}), deposit('e1')], nextCursor: 'c1' });
    await tick();
    await fixture.whenStable();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('shows the summary and one row per event: what moved, price, fee and USD value, paging on with "Load more"', async () => {
    const { fixture, el } = await open();
    expect(el.querySelector('.cards')?.textContent).toContain('Entries4');
    expect(rows(el.querySelector('table.totals'))).toContainEqual(['USD', '$1,000.00', '$500.50', '$0.50', '+$499.50']);
    expect(el.textContent).toContain('Trade: 3');

    const list = () => rows(el.querySelector('[data-testid=transactions]'));
    // What went out first, then what came in; the fee apart.
    expect(list().map((r) => r.slice(1, 6))).toEqual([
      ['TradeBought 0.002 BTC at $50,000.00 (fee $0.10)', '-$100.00→ for +0.002 BTC', '$50,000.00', '$0.10', '$100.00'],
      ['AdjustmentFunding', '+$1,000.00', '—', '—', '$1,000.00'],
    ]);

    buttonByText(el, 'Load more').click();
    await tick();
    http.expectOne(isList(undefined, 'c1')).flush({ items: [withdrawal('e0')], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(list()).toHaveLength(3);
    expect(list()[2].slice(1, 6)).toEqual(['WithdrawalBought 0.002 BTC at $50,000.00 (fee $0.10)', '-0.0005 BTC', '—', '0.0001 BTC', '—']);
    http.verify();
  });

  it('expands an event to its ledger lines with a disclosure button, and folds it again', async () => {
    const { fixture, el } = await open();
    const toggles = () => [...el.querySelectorAll<HTMLButtonElement>('[data-testid=transactions] button[aria-expanded]')];
    expect(toggles().map((b) => b.getAttribute('aria-expanded'))).toEqual(['false', 'false']);
    expect(el.querySelector('[data-testid=ledger-lines]')).toBeNull();

    toggles()[0].click();
    await fixture.whenStable();
    expect(toggles()[0].getAttribute('aria-expanded')).toBe('true');
    const panel = el.querySelector<HTMLElement>(`#${toggles()[0].getAttribute('aria-controls')}`);
    const lines = [...(panel?.querySelectorAll('[data-testid=ledger-lines] li') ?? [])].map((li) => [...li.children].map((c) => c.textContent?.trim()));
    expect(lines).toEqual([
      ['Trade', 'USD · Available', '-$100.00'],
      ['Trade', 'BTC · Available', '+0.002 BTC'],
      ['Fee', 'USD · Available', '-$0.10'],
    ]);
    expect(panel?.textContent).toContain('BTC balance after: 0.01 BTC');
    expect(panel?.textContent).toContain('USD balance after: $899.90');

    toggles()[0].click();
    await fixture.whenStable();
    expect(toggles()[0].getAttribute('aria-expanded')).toBe('false');
    expect(el.querySelector('[data-testid=ledger-lines]')).toBeNull();
    http.verify();
  });

  it('asks the server for the type, asset and local-day range, pages within them and clears them', async () => {
    const { fixture, el } = await open();
    const list = () => rows(el.querySelector('[data-testid=transactions]'));
    const from = new Date(2026, 10, 10).toISOString();
    const to = new Date(2026, 10, 21).toISOString();
    const isFiltered = (p: Record<string, string | null>) => (r: { url: string; params: { get(k: string): string | null } }) =>
      r.url === '/api/transactions/activity' && ['type', 'asset', 'from', 'to', 'cursor'].every((k) => r.params.get(k) === (p[k] ?? null));
    const setDate = async (index: number, value: string) => {
      const input = [...el.querySelectorAll<HTMLInputElement>('input[type=date]')][index];
      input.value = value;
      input.dispatchEvent(new Event('change'));
      await tick();
    };

    await chooseOption(el, 'Asset', 'BTC');
    http.expectOne(isFiltered({ asset: 'BTC' })).flush({ items: [ev('e2', {})], nextCursor: null });
    await setDate(0, '2026-11-10');
    http.expectOne(isFiltered({ asset: 'BTC', from })).flush({ items: [ev('e2', {})], nextCursor: null });
    await setDate(1, '2026-11-20');
    http.expectOne(isFiltered({ asset: 'BTC', from, to })).flush({ items: [ev('e2', {})], nextCursor: 'c2' });
    await tick();
    await fixture.whenStable();
    expect(list()).toHaveLength(1);

    buttonByText(el, 'Load more').click();
    await tick();
    http.expectOne(isFiltered({ asset: 'BTC', from, to, cursor: 'c2' })).flush({ items: [withdrawal('e4')], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(list().map((r) => r[1].split('Bought')[0])).toEqual(['Trade', 'Withdrawal']);

    await chooseOption(el, 'Type', 'Conversion');
    http.expectOne(isFiltered({ type: 'convert', asset: 'BTC', from, to })).flush({ items: [], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=transactions]')?.textContent).toContain('No transactions match these filters');

    buttonByText(el, 'Clear filters').click();
    http.expectOne(isList()).flush({ items: [deposit('e1')], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(list()).toHaveLength(1);
    http.verify();
  });

  it('downloads the CSV through the SDK as a file from an object URL', async () => {
    const { el } = await open();
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => (created.push(b), 'blob:csv-1'));
    URL.revokeObjectURL = vi.fn();
    const clicks: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });

    buttonByText(el, 'Download CSV').click();
    await tick();
    const req = http.expectOne('/api/transactions/export.csv');
    expect(req.request.responseType).toBe('text');
    req.flush('id,type,asset,amount\n3,trade,USD,-500.00\n', { headers: { 'Content-Disposition': 'attachment; filename="transactions.csv"' } });
    await tick();

    expect(clicks).toHaveLength(1);
    expect(clicks[0].href).toBe('blob:csv-1');
    expect(clicks[0].download).toBe('transactions.csv');
    expect(await created[0].text()).toContain('3,trade,USD,-500.00');
    expect(created[0].type).toContain('text/csv');
    click.mockRestore();
    http.verify();
  });

  it('downloads only the filtered events’ lines: the CSV request carries the type as `event` and the asset', async () => {
    const { fixture, el } = await open();
    URL.createObjectURL = vi.fn(() => 'blob:csv-2');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await chooseOption(el, 'Type', 'Trade');
    http.expectOne(isList('trade')).flush({ items: [ev('e2', {})], nextCursor: null });
    await chooseOption(el, 'Asset', 'USD');
    http.expectOne((r) => r.url === '/api/transactions/activity' && r.params.get('asset') === 'USD').flush({ items: [ev('e2', {})], nextCursor: null });
    await tick();
    await fixture.whenStable();

    buttonByText(el, 'Download CSV').click();
    await tick();
    const req = http.expectOne((r) => r.url === '/api/transactions/export.csv');
    expect(req.request.params.keys().sort()).toEqual(['asset', 'event']);
    expect([req.request.params.get('event'), req.request.params.get('asset')]).toEqual(['trade', 'USD']);
    req.flush('id,type,asset,amount\r\n3,trade,USD,-500.00\r\n');
    await tick();
    click.mockRestore();
    http.verify();
  });
});
