import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { TransactionDto } from '../../api/models';
import { buttonByText, chooseOption, rows, tick } from '../../../testing/dom';
import { TransactionsPage } from './transactions.page';

const tx = (id: string, patch: Partial<TransactionDto>): TransactionDto => ({
  id, type: 'trade', asset: 'USD', amount: '-500.00', status: 'completed', description: 'Bought 0.01 BTC', reference: 'order:x:fill', createdAt: '2026-11-20T12:00:00Z', ...patch,
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
    r.url === '/api/transactions' && r.params.get('type') === (type ?? null) && r.params.get('cursor') === (cursor ?? null);

  async function open() {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(TransactionsPage);
    await tick();
    http.expectOne('/api/transactions/summary/stats').flush({ stats });
    http.expectOne(isList()).flush({
      items: [tx('3', {}), tx('2', { asset: 'BTC', amount: '0.01', createdAt: '2026-11-20T12:00:00Z' }), tx('1', { type: 'deposit', amount: '1000.00', description: 'Deposit', createdAt: '2026-11-01T10:00:00Z' })],
      nextCursor: 'c1',
    });
    await tick();
    await fixture.whenStable();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('shows the summary from the stats endpoint and the entries with signed amounts, paging on with "Load more"', async () => {
    const { fixture, el } = await open();
    expect(el.querySelector('.cards')?.textContent).toContain('Entries4');
    expect(rows(el.querySelector('table.totals'))).toContainEqual(['USD', '$1,000.00', '$500.50', '$0.50', '+$499.50']);
    expect(el.textContent).toContain('Trade: 3');

    const list = () => rows(el.querySelector('[data-testid=transactions]'));
    expect(list().map((r) => r[3])).toEqual(['-$500.00', '+0.01 BTC', '+$1,000.00']);

    buttonByText(el, 'Load more').click();
    await tick();
    http.expectOne(isList(undefined, 'c1')).flush({ items: [tx('0', { type: 'fee', amount: '-0.50' })], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(list()).toHaveLength(4);
    expect(list()[3]).toEqual(expect.arrayContaining(['Fee', '-$0.50']));
    http.verify();
  });

  it('asks the server for the type, asset and local-day range, pages within them and clears them', async () => {
    const { fixture, el } = await open();
    const list = () => rows(el.querySelector('[data-testid=transactions]'));
    const from = new Date(2026, 10, 10).toISOString();
    const to = new Date(2026, 10, 21).toISOString();
    const isFiltered = (p: Record<string, string | null>) => (r: { url: string; params: { get(k: string): string | null } }) =>
      r.url === '/api/transactions' && ['type', 'asset', 'from', 'to', 'cursor'].every((k) => r.params.get(k) === (p[k] ?? null));
    const setDate = async (index: number, value: string) => {
      const input = [...el.querySelectorAll<HTMLInputElement>('input[type=date]')][index];
      input.value = value;
      input.dispatchEvent(new Event('change'));
      await tick();
    };

    await chooseOption(el, 'Asset', 'BTC');
    http.expectOne(isFiltered({ asset: 'BTC' })).flush({ items: [tx('2', { asset: 'BTC', amount: '0.01' })], nextCursor: null });
    await setDate(0, '2026-11-10');
    http.expectOne(isFiltered({ asset: 'BTC', from })).flush({ items: [tx('2', { asset: 'BTC', amount: '0.01' })], nextCursor: null });
    await setDate(1, '2026-11-20');
    http.expectOne(isFiltered({ asset: 'BTC', from, to })).flush({ items: [tx('2', { asset: 'BTC', amount: '0.01' })], nextCursor: 'c2' });
    await tick();
    await fixture.whenStable();
    expect(list().map((r) => r[2])).toEqual(['BTC']);

    buttonByText(el, 'Load more').click();
    await tick();
    http.expectOne(isFiltered({ asset: 'BTC', from, to, cursor: 'c2' })).flush({ items: [tx('4', { asset: 'BTC', amount: '-0.002', type: 'withdrawal' })], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(list().map((r) => r[1])).toEqual(['Trade', 'Withdrawal']);

    await chooseOption(el, 'Type', 'Deposit');
    http.expectOne(isFiltered({ type: 'deposit', asset: 'BTC', from, to })).flush({ items: [], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=transactions]')?.textContent).toContain('No transactions match these filters');

    buttonByText(el, 'Clear filters').click();
    http.expectOne(isList()).flush({ items: [tx('1', { type: 'deposit', amount: '1000.00', createdAt: '2026-11-01T10:00:00Z' })], nextCursor: null });
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

  it('downloads only the filtered entries: the CSV request carries the same filters as the list', async () => {
    const { fixture, el } = await open();
    URL.createObjectURL = vi.fn(() => 'blob:csv-2');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await chooseOption(el, 'Type', 'Trade');
    http.expectOne(isList('trade')).flush({ items: [tx('3', {})], nextCursor: null });
    await chooseOption(el, 'Asset', 'USD');
    http.expectOne((r) => r.url === '/api/transactions' && r.params.get('asset') === 'USD').flush({ items: [tx('3', {})], nextCursor: null });
    await tick();
    await fixture.whenStable();

    buttonByText(el, 'Download CSV').click();
    await tick();
    const req = http.expectOne((r) => r.url === '/api/transactions/export.csv');
    expect(req.request.params.keys().sort()).toEqual(['asset', 'type']);
    expect([req.request.params.get('type'), req.request.params.get('asset')]).toEqual(['trade', 'USD']);
    req.flush('id,type,asset,amount\r\n3,trade,USD,-500.00\r\n');
    await tick();
    click.mockRestore();
    http.verify();
  });
});
