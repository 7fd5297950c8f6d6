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
    expect(rows(el.querySelector('table.totals'))).toContainEqual(['USD', '$1,000.00', '$500.50', '$0.50', '$499.50']);
    expect(el.textContent).toContain('Trade: 3');

    const list = () => rows(el.querySelector('[data-testid=transactions]'));
    expect(list().map((r) => r[3])).toEqual(['-$500.00', '+0.01', '+$1,000.00']);

    buttonByText(el, 'Load more').click();
    await tick();
    http.expectOne(isList(undefined, 'c1')).flush({ items: [tx('0', { type: 'fee', amount: '-0.50' })], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(list()).toHaveLength(4);
    expect(list()[3]).toEqual(expect.arrayContaining(['Fee', '-$0.50']));
    http.verify();
  });

  it('asks the server for one type, and narrows the loaded entries by asset and date', async () => {
    const { fixture, el } = await open();
    const list = () => rows(el.querySelector('[data-testid=transactions]'));

    await chooseOption(el, 'Asset', 'BTC');
    await fixture.whenStable();
    expect(list().map((r) => r[2])).toEqual(['BTC']);

    await chooseOption(el, 'Asset', 'All assets');
    const from = [...el.querySelectorAll<HTMLInputElement>('input[type=date]')][0];
    from.value = '2026-11-10';
    from.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(list().map((r) => r[1])).toEqual(['Trade', 'Trade']);

    await chooseOption(el, 'Type', 'Deposit');
    http.expectOne(isList('deposit')).flush({ items: [tx('1', { type: 'deposit', amount: '1000.00', createdAt: '2026-11-01T10:00:00Z' })], nextCursor: null });
    await tick();
    await fixture.whenStable();
    // The November 1st deposit is before the "From" date.
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
});
