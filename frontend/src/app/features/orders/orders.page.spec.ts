import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { OrderDto } from '../../api/models';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { buttonByName, buttonByText, chooseOption, dialogClosed, rows, tick } from '../../../testing/dom';
import { OrdersPage } from './orders.page';

const order = (id: string, patch: Partial<OrderDto>): OrderDto => ({
  id, symbol: 'BTC', side: 'buy', type: 'limit', status: 'open', quantity: '0.50000000', quoteAmount: null, limitPrice: '58000', stopPrice: null,
  filledPrice: null, fee: null, feeAsset: 'USD', createdAt: '2026-11-28T19:00:00Z', filledAt: null, sizedBy: 'quantity', reservedAsset: null, reservedAmount: null, ...patch,
});
const resting = order('o1', {});
const filled = order('o2', { type: 'market', status: 'filled', side: 'sell', symbol: 'ETH', quantity: '2', limitPrice: null, filledPrice: '3000.5', quoteAmount: '6001.00', fee: '6.001', filledAt: '2026-11-28T18:00:00Z' });
const cancelled = order('o3', { status: 'cancelled', type: 'stop', limitPrice: null, stopPrice: '70000' });
const older = order('o4', { status: 'rejected', side: 'buy', symbol: 'SOL', type: 'stop', limitPrice: null, stopPrice: '300' });

describe('OrdersPage', () => {
  let http: HttpTestingController;
  const isList = (status?: string, cursor?: string) => (r: { url: string; params: { get(k: string): string | null } }) =>
    r.url === '/api/orders' && r.params.get('status') === (status ?? null) && r.params.get('cursor') === (cursor ?? null);

  async function open() {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(OrdersPage);
    await tick();
    http.expectOne('/api/crypto').flush({ cryptocurrencies: [{ symbol: 'BTC', name: 'Bitcoin' }, { symbol: 'ETH', name: 'Ethereum' }] });
    http.expectOne(isList('open')).flush({ items: [resting], nextCursor: null });
    http.expectOne(isList()).flush({ items: [resting, filled, cancelled], nextCursor: 'c1' });
    await tick();
    await fixture.whenStable();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('lists resting orders apart from the history, with average fill price, fee and status, and pages on with "Load more"', async () => {
    const { fixture, el } = await open();
    const openRows = rows(el.querySelector('[data-testid=open-orders]'));
    expect(openRows).toHaveLength(1);
    expect(openRows[0]).toEqual(expect.arrayContaining(['BTC', 'Buy', 'Limit', '0.5', '$58,000.00', 'open']));

    const history = () => rows(el.querySelector('[data-testid=order-history]'));
    expect(history().map((r) => r[1])).toEqual(['ETH', 'BTC']);
    expect(history()[0]).toEqual(expect.arrayContaining(['Sell', 'Market', '$3,000.50', '$6,001.00', '$6.00', 'filled']));
    expect(history()[1]).toEqual(expect.arrayContaining(['Stop', '—', 'cancelled']));

    buttonByText(el, 'Load more').click();
    await tick();
    http.expectOne(isList(undefined, 'c1')).flush({ items: [older], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(history().map((r) => r[1])).toEqual(['ETH', 'BTC', 'SOL']);
    expect(history()[2]).toContain('rejected');
    expect(el.textContent).not.toContain('Load more');
    http.verify();
  });

  it('filters the history by side and status on the server, and "Load more" pages within the filters', async () => {
    const { fixture, el } = await open();
    const history = () => rows(el.querySelector('[data-testid=order-history]'));
    const isHistory = (side: string, status: string | null, cursor: string | null = null) => (r: { url: string; params: { get(k: string): string | null } }) =>
      r.url === '/api/orders' && r.params.get('side') === side && r.params.get('status') === status && r.params.get('cursor') === cursor;

    await chooseOption(el, 'Side', 'Sell');
    http.expectOne(isHistory('sell', null)).flush({ items: [filled], nextCursor: 'c2' });
    await tick();
    await fixture.whenStable();
    expect(history().map((r) => r[1])).toEqual(['ETH']);

    buttonByText(el, 'Load more').click();
    await tick();
    const more = http.expectOne(isHistory('sell', null, 'c2'));
    expect(more.request.params.get('limit')).toBe('20');
    more.flush({ items: [order('o5', { status: 'filled', side: 'sell', symbol: 'SOL', type: 'market', filledPrice: '150' })], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(history().map((r) => r[1])).toEqual(['ETH', 'SOL']);

    await chooseOption(el, 'Status', 'Cancelled');
    http.expectOne(isHistory('sell', 'cancelled')).flush({ items: [], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=order-history]')?.textContent).toContain('No orders match these filters');
    http.verify();
  });

  it('cancels an open order only after confirmation, then reloads both lists', async () => {
    const { fixture, el } = await open();
    buttonByName(el, 'Cancel limit buy of 0.5 BTC').click();
    await tick();
    await fixture.whenStable();
    expect(document.body.textContent).toContain('Cancel this order?');
    buttonByText(document.body, 'Keep order').click();
    await dialogClosed();
    http.expectNone((r) => r.method === 'DELETE');

    buttonByName(el, 'Cancel limit buy of 0.5 BTC').click();
    await tick();
    await fixture.whenStable();
    buttonByText(document.body, 'Cancel order').click();
    await dialogClosed();
    const del = http.expectOne('/api/orders/o1');
    expect(del.request.method).toBe('DELETE');
    del.flush({ order: { ...resting, status: 'cancelled' } });
    await tick();
    http.expectOne(isList('open')).flush({ items: [], nextCursor: null });
    http.expectOne(isList()).flush({ items: [{ ...resting, status: 'cancelled' }, filled], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=open-orders]')?.textContent).toContain('No open orders');
    expect(rows(el.querySelector('[data-testid=order-history]'))[0]).toContain('cancelled');
    http.verify();
  });

  it('reloads when the user socket reports a fill', async () => {
    const { fixture, el } = await open();
    TestBed.inject(UserEventsStore).ordersChanged.update((n) => n + 1);
    await fixture.whenStable();
    http.expectOne(isList('open')).flush({ items: [], nextCursor: null });
    http.expectOne(isList()).flush({ items: [{ ...resting, status: 'filled', filledPrice: '57990', fee: '0.029', quoteAmount: '28995' }], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=open-orders]')?.textContent).toContain('No open orders');
    expect(rows(el.querySelector('[data-testid=order-history]'))[0]).toEqual(expect.arrayContaining(['$57,990.00', 'filled']));
    http.verify();
  });
});
