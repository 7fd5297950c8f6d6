import { formatDate } from '@angular/common';
import { DeferBlockBehavior, TestBed } from '@angular/core/testing';
import type { HoldingDto, PortfolioDto, PortfolioHistoryDto, TransactionDto, WatchlistItemDto } from '../../api/models';
import { buttonByName, buttonByText, dialogClosed } from '../../../testing/dom';
import { apiError, settle, setUpApp, submit, tick, typeInto } from '../../../testing/ui';
import { PricesStore } from '../../core/prices/prices.store';
import { dayInput } from './acquired-date';
import { DashboardPage } from './dashboard.page';

/** The date part the page shows for an ISO time, in the test machine's time zone. */
const day = (iso: string) => formatDate(iso, 'MMM d, y', 'en-US');
/** The page's text with runs of whitespace as one space. */
const textOf = (el: Element) => el.textContent!.replace(/\s+/g, ' ');
/** A table row as a reader meets it: cell texts, one space apart. */
const rowText = (r: Element) => [...r.children].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()).join(' ');

function holding(over: Partial<HoldingDto>): HoldingDto {
  return {
    symbol: 'BTC', name: 'Bitcoin', amount: '0.5', avgCost: '40000', currentPrice: '50000', value: '25000.00',
    pnl: '5000.00', pnlPct: '25.00', allocation: '50.00', source: 'account', ...over,
  };
}

function portfolio(holdings: HoldingDto[], over: Partial<PortfolioDto> = {}): { portfolio: PortfolioDto } {
  return {
    portfolio: {
      totalValue: '50000.00', cash: '15000.00', invested: '20000.00', unrealizedPnl: '5000.00', unrealizedPnlPct: '25.00',
      realizedPnl: '0.00', change24h: '120.00', change24hPct: '0.24', pricesAsOf: '2026-11-28T12:00:00.000Z', holdings, ...over,
    },
  };
}

const history: PortfolioHistoryDto = {
  valuation: 'candles',
  points: [
    { timestamp: '2026-10-29T12:00:00.000Z', value: '40000.00' },
    { timestamp: '2026-11-15T12:00:00.000Z', value: '45000.00' },
    { timestamp: '2026-11-28T12:00:00.000Z', value: '48250.50' },
  ],
};

const transactions: TransactionDto[] = [
  { id: 't3', type: 'fee', asset: 'USD', amount: '-12.50', status: 'completed', description: 'Trading fee', reference: 'o1', createdAt: '2026-11-28T12:00:00.000Z' },
  { id: 't2', type: 'trade', asset: 'BTC', amount: '0.5', status: 'completed', description: 'Buy BTC', reference: 'o1', createdAt: '2026-11-28T12:00:00.000Z' },
  { id: 't1', type: 'deposit', asset: 'USD', amount: '35000.00', status: 'completed', description: 'Deposit', reference: 'd1', createdAt: '2026-11-27T12:00:00.000Z' },
];

async function setup() {
  // jsdom has no canvas: the deferred chart stays a placeholder, its text equivalent is what is checked.
  const http = await setUpApp({ user: {}, imports: [DashboardPage], deferBlockBehavior: DeferBlockBehavior.Manual });
  const fixture = TestBed.createComponent(DashboardPage);
  const el: HTMLElement = fixture.nativeElement;
  const history$ = (days: number) => http.expectOne((r) => r.url === '/api/portfolio/history' && r.params.get('days') === String(days));
  /** The watchlist card asks for the watchlist once the portfolio shows: an empty one, unless a test gives one. */
  const watchlist = (items: WatchlistItemDto[] = []) => http.match('/api/watchlist').forEach((r) => r.flush({ items, max: 50 }));
  return { http, fixture, el, history$, watchlist };
}

describe('DashboardPage', () => {
  // jsdom has no matchMedia: the chart library asks it for the pixel ratio should its deferred chart ever render.
  beforeEach(() => {
    window.matchMedia ??= (query: string) =>
      ({ matches: false, media: query, onchange: null, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, dispatchEvent: () => false }) as MediaQueryList;
  });
  it('shows totals, a month of value history, allocation with the cash share, tracked holdings and recent activity', async () => {
    const { http, fixture, el, history$, watchlist } = await setup();
    await tick();
    http.expectOne('/api/portfolio').flush(
      portfolio([
        holding({}),
        holding({ symbol: 'ETH', name: 'Ethereum', amount: '4', avgCost: null, currentPrice: '2500', value: '10000.00', pnl: null, pnlPct: null, allocation: '20.00', source: 'tracked' }),
      ]),
    );
    history$(30).flush(history);
    const tx = http.expectOne((r) => r.url === '/api/transactions');
    expect(tx.request.params.get('limit')).toBe('8');
    tx.flush({ items: transactions, nextCursor: 'next' });
    await settle(fixture);
    // A tracked holding: its dated lots are read too, and listed with the day each was acquired.
    http.expectOne('/api/portfolio/tracked-lots').flush({
      items: [{ id: '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11', symbol: 'ETH', acquiredAt: '2026-03-01T12:00:00.000Z', quantity: '4.00000000', unitCost: null }],
    });
    await settle(fixture);
    expect([...el.querySelectorAll('cv-tracked-lots li')].map((li) => textOf(li).trim())).toEqual([`4 ETH Acquired on ${day('2026-03-01T12:00:00.000Z')} Change date`]);

    const text = textOf(el);
    expect(text).toContain('$50,000.00');
    // The history's text equivalent: first and last value of the range and the change.
    // The difference is not called a gain: deposits and withdrawals are in it (the performance page separates them).
    expect(text).toContain(`Worth $40,000.00 on ${day(history.points[0].timestamp)},`);
    expect(text).toContain('and $48,250.50 now, deposits and withdrawals included');
    expect(text).not.toContain('+$8,250.50');
    expect(text).toContain('History covers your account only, not tracked holdings.');

    // Allocation legend: the server's percentages, cash holding the remaining 30 %.
    const legend = [...el.querySelectorAll('cv-allocation-chart tbody tr')].map(rowText);
    expect(legend).toEqual(['BTC 50.00% $25,000.00', 'Cash (USD) 30.00% $15,000.00', 'ETH (tracked) 20.00% $10,000.00']);
    expect(el.querySelector('cv-allocation-chart svg')!.getAttribute('aria-label')).toBe('Allocation: BTC 50.00%, Cash (USD) 30.00%, ETH (tracked) 20.00%');

    // The tracked ETH row carries the label; the account BTC row does not.
    const rows = [...el.querySelectorAll('section[aria-labelledby=holdings-title] tbody tr')];
    expect(rows[0].textContent).not.toContain('tracked');
    expect(rows[1].querySelector('.badge')!.textContent).toBe('tracked');
    expect(rows[1].querySelector('td')!.textContent!.trim()).toBe('Ethereum ETH tracked');

    const activity = [...el.querySelectorAll('cv-recent-activity tbody tr')].map(rowText);
    expect(activity[0]).toContain(`Fee Trading fee USD -$12.50 ${day(transactions[0].createdAt)},`);
    expect(activity[1]).toContain(`Trade Buy BTC BTC +0.5 BTC ${day(transactions[1].createdAt)},`);
    expect(activity[2]).toContain(`Deposit Deposit USD +$35,000.00 ${day(transactions[2].createdAt)},`);
    const all = [...el.querySelectorAll('a')].find((a) => a.textContent === 'All transactions')!;
    expect(all.getAttribute('href')).toBe('/transactions');
    watchlist();
    http.verify();
    fixture.destroy();
  });

  it('switches the value history range and shows the later answer only', async () => {
    const { http, fixture, el, history$, watchlist } = await setup();
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([holding({ allocation: '62.50' })], { totalValue: '40000.00' }));
    history$(30).flush(history);
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await settle(fixture);
    expect(el.textContent).toContain('No activity yet.');

    buttonByName(el, '1W (1 week)').click();
    await settle(fixture);
    expect(el.textContent).toContain('Loading…');
    const week = history$(7);
    // Changed mind before the week arrived: the year answers first, the week late.
    buttonByName(el, '1Y (1 year)').click();
    await settle(fixture);
    history$(365).flush({
      valuation: 'current',
      points: [
        { timestamp: '2025-11-28T12:00:00.000Z', value: '41000.00' },
        { timestamp: '2026-11-28T12:00:00.000Z', value: '40000.00' },
      ],
    });
    week.flush(history);
    await settle(fixture);
    expect(textOf(el)).toContain(`Worth $41,000.00 on ${day('2025-11-28T12:00:00.000Z')},`);
    expect(textOf(el)).toContain('and $40,000.00 now, deposits and withdrawals included');
    expect(el.querySelector('mat-button-toggle[aria-pressed], .mat-button-toggle-checked')!.textContent!.trim()).toBe('1Y');
    expect(el.textContent).toContain('every point is valued at current prices');
    expect(el.querySelector('mat-button-toggle-group')!.getAttribute('aria-label')).toBe('Value history range');
    watchlist();
    http.verify();
    fixture.destroy();
  });

  it('tracks an outside holding, shows it labelled "tracked", and removes it once confirmed', async () => {
    const { http, fixture, el, history$, watchlist } = await setup();
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([], { totalValue: '15000.00', invested: '0.00', unrealizedPnl: '0.00' }));
    history$(30).flush({ valuation: 'candles', points: [] });
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await settle(fixture);
    expect(el.textContent).toContain('No holdings yet.');
    expect(el.textContent).toContain('No value history in this range yet.');

    const field = (name: string) => `cv-track-holding-form input[name=${name}]`;
    const form = el.querySelector<HTMLFormElement>('cv-track-holding-form form');

    // Checked before anything is sent.
    await typeInto(fixture, field('symbol'), 'eth');
    await typeInto(fixture, field('amount'), '0');
    await submit(fixture, form);
    expect(el.querySelector('cv-track-holding-form mat-error')?.textContent?.trim()).toBe('Enter a quantity more than 0');
    http.expectNone('/api/portfolio/holding');

    await typeInto(fixture, field('amount'), '1.25');
    await typeInto(fixture, field('avgCost'), '2000');
    await submit(fixture, form);
    const post = http.expectOne('/api/portfolio/holding');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({ symbol: 'ETH', amount: '1.25', avgCost: '2000' });
    const eth = holding({ symbol: 'ETH', name: 'Ethereum', amount: '1.25', avgCost: '2000', currentPrice: '2500', value: '3125.00', pnl: '625.00', pnlPct: '25.00', allocation: '17.24', source: 'tracked' });
    post.flush({ holding: eth });
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([eth], { totalValue: '18125.00' }));
    http.expectOne('/api/portfolio/tracked-lots').flush({
      items: [{ id: '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11', symbol: 'ETH', acquiredAt: new Date().toISOString(), quantity: '1.25000000', unitCost: '2000.00' }],
    });
    await settle(fixture);
    expect(el.textContent).toContain('Now tracking 1.25 ETH.');
    const row = el.querySelector('section[aria-labelledby=holdings-title] tbody tr')!;
    expect(row.textContent).toContain('Ethereum');
    expect(row.querySelector('.badge')!.textContent).toBe('tracked');
    expect(el.querySelector<HTMLInputElement>(field('symbol'))!.value).toBe('');

    // Asked first; "Keep" changes nothing.
    buttonByName(el, 'Remove tracked ETH').click();
    await settle(fixture);
    expect(document.querySelector('mat-dialog-container')!.textContent).toContain('The 1.25 ETH you hold outside CryptoVault will no longer be valued here.');
    buttonByText(document.body, 'Keep').click();
    await dialogClosed();
    http.expectNone((r) => r.method === 'DELETE');
    buttonByName(el, 'Remove tracked ETH').click();
    await settle(fixture);
    buttonByText(document.body, 'Stop tracking').click();
    await dialogClosed();
    const del = http.expectOne('/api/portfolio/holding/ETH');
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([], { totalValue: '15000.00' }));
    await settle(fixture);
    expect(el.textContent).toContain('Stopped tracking ETH.');
    expect(el.textContent).toContain('No holdings yet.');
    expect(el.querySelector('cv-tracked-lots li')).toBeNull();
    watchlist();
    http.verify();
    fixture.destroy();
  });

  it('dates a tracked holding: today unless changed, an earlier day sent as its start, a later one refused, and a lot’s date changed in the list', async () => {
    const { http, fixture, el, history$, watchlist } = await setup();
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([]));
    history$(30).flush({ valuation: 'candles', points: [] });
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await settle(fixture);

    const field = (name: string) => `cv-track-holding-form input[name=${name}]`;
    const form = el.querySelector<HTMLFormElement>('cv-track-holding-form form');
    const today = dayInput(new Date());
    const date = el.querySelector<HTMLInputElement>(field('acquiredAt'))!;
    expect([date.type, date.value, date.max]).toEqual(['date', today, today]);
    expect(textOf(el.querySelector('cv-track-holding-form')!)).toContain('Acquired on');

    // A day after today is refused before anything is sent, in the server's words.
    const tomorrow = dayInput(new Date(Date.now() + 86_400_000));
    await typeInto(fixture, field('symbol'), 'BTC');
    await typeInto(fixture, field('amount'), '0.1');
    await typeInto(fixture, field('acquiredAt'), tomorrow);
    await submit(fixture, form);
    expect(el.querySelector('cv-track-holding-form mat-error')?.textContent?.trim()).toBe('Choose a purchase date that is not in the future');
    http.expectNone('/api/portfolio/holding');

    // An earlier day: its start where the person is.
    await typeInto(fixture, field('acquiredAt'), '2025-03-01');
    await submit(fixture, form);
    const post = http.expectOne('/api/portfolio/holding');
    expect(post.request.body).toEqual({ symbol: 'BTC', amount: '0.1', acquiredAt: new Date(2025, 2, 1).toISOString() });
    const btc = holding({ amount: '0.1', avgCost: null, pnl: null, pnlPct: null, source: 'tracked' });
    post.flush({ holding: btc });
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([btc]));
    const lot = { id: '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11', symbol: 'BTC', acquiredAt: new Date(2025, 2, 1).toISOString(), quantity: '0.10000000', unitCost: null };
    http.expectOne('/api/portfolio/tracked-lots').flush({ items: [lot] });
    await settle(fixture);
    // The form starts again at today.
    expect(el.querySelector<HTMLInputElement>(field('acquiredAt'))!.value).toBe(today);
    expect(textOf(el.querySelector('cv-tracked-lots li')!)).toContain(`Acquired on ${day(lot.acquiredAt)}`);

    // The lot's date changes in the list: the day it shows is the field's, a future one is refused before sending.
    buttonByName(el, 'Change the date of 0.1 BTC').click();
    await settle(fixture);
    const edit = 'cv-tracked-lots input[name=acquiredAt]';
    expect(el.querySelector<HTMLInputElement>(edit)!.value).toBe('2025-03-01');
    await typeInto(fixture, edit, tomorrow);
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-tracked-lots form'));
    expect(el.querySelector('cv-tracked-lots mat-error')?.textContent?.trim()).toBe('Choose a purchase date that is not in the future');
    await typeInto(fixture, edit, '2008-12-31');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-tracked-lots form'));
    expect(el.querySelector('cv-tracked-lots mat-error')?.textContent?.trim()).toBe('Choose a purchase date in 2009 or later');
    await typeInto(fixture, edit, '');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-tracked-lots form'));
    expect(el.querySelector('cv-tracked-lots mat-error')?.textContent?.trim()).toBe('Enter a purchase date');
    http.expectNone((r) => r.method === 'PATCH');
    // The server's refusal (400 on the field, as for a clock far ahead of the server's) shows on the field too.
    await typeInto(fixture, edit, '2024-12-24');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-tracked-lots form'));
    const future = 'Choose a purchase date that is not in the future';
    http.expectOne(`/api/portfolio/tracked-lots/${lot.id}`).flush(...apiError(400, 'VALIDATION_FAILED', future, [{ field: 'acquiredAt', message: future }]));
    await settle(fixture);
    expect(el.querySelector('cv-tracked-lots mat-error')?.textContent?.trim()).toBe(future);
    expect(el.querySelector('cv-tracked-lots [role=status]')).toBeNull();
    await typeInto(fixture, edit, '2024-12-24');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-tracked-lots form'));
    const patch = http.expectOne(`/api/portfolio/tracked-lots/${lot.id}`);
    expect([patch.request.method, patch.request.body]).toEqual(['PATCH', { acquiredAt: new Date(2024, 11, 24).toISOString() }]);
    patch.flush({ lot: { ...lot, acquiredAt: new Date(2024, 11, 24).toISOString() } });
    await settle(fixture);
    expect(textOf(el.querySelector('cv-tracked-lots li')!)).toContain(`Acquired on ${day(new Date(2024, 11, 24).toISOString())}`);
    expect(el.querySelector('cv-tracked-lots [role=status]')!.textContent).toContain('Date changed.');
    watchlist();
    http.verify();
    fixture.destroy();
  });

  it('shows the server’s reason when an unknown asset is tracked', async () => {
    const { http, fixture, el, history$, watchlist } = await setup();
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([]));
    history$(30).flush({ valuation: 'candles', points: [] });
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await settle(fixture);

    await typeInto(fixture, 'cv-track-holding-form input[name=symbol]', 'NOPE');
    await typeInto(fixture, 'cv-track-holding-form input[name=amount]', '3');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-track-holding-form form'));
    http.expectOne('/api/portfolio/holding').flush(...apiError(422, 'UNKNOWN_ASSET', 'Unknown asset NOPE'));
    await settle(fixture);
    expect(el.querySelector('cv-track-holding-form [role=alert]')!.textContent).toContain('Unknown asset NOPE');
    watchlist();
    http.verify();
    fixture.destroy();
  });

  it('shows the watchlist with live prices and 24 h changes, and takes an asset off with its star', async () => {
    const { http, fixture, el, history$, watchlist } = await setup();
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([]));
    // No history: the chart (which jsdom cannot draw) stays out of these tests.
    history$(30).flush({ valuation: 'candles', points: [] });
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await settle(fixture);
    const item = (symbol: string, name: string, price: string, change24h: string): WatchlistItemDto => ({
      symbol, name, price, change24h, listed: true, addedAt: '2026-11-28T10:00:00Z',
    });
    watchlist([item('SOL', 'Solana', '198.35', '-2.5'), item('BTC', 'Bitcoin', '104250', '1.84')]);
    await settle(fixture);
    const card = () => [...el.querySelectorAll('[data-testid=watchlist] li')].map((li) => rowText(li).trim());
    expect(card()).toEqual(['Solana SOL $198.35 -2.50%', 'Bitcoin BTC $104,250.00 +1.84%']);
    // A tick moves the card.
    TestBed.inject(PricesStore).quotes.set({ BTC: { price: '105000', change24h: '2.5', timestamp: '', source: 'simulated', dir: 'up', seq: 1 } });
    await settle(fixture);
    expect(card()[1]).toBe('Bitcoin BTC $105,000.00 +2.50%');

    buttonByName(el, 'Remove Solana from watchlist').click();
    await settle(fixture);
    expect(card()).toEqual(['Bitcoin BTC $105,000.00 +2.50%']);
    const del = http.expectOne((r) => r.url === '/api/watchlist/SOL' && r.method === 'DELETE');
    del.flush({ items: [item('BTC', 'Bitcoin', '104250', '1.84')], max: 50 });
    await settle(fixture);
    expect(card()).toEqual(['Bitcoin BTC $105,000.00 +2.50%']);
    http.verify();
    fixture.destroy();
  });

  it('says how to fill an empty watchlist', async () => {
    const { http, fixture, el, history$, watchlist } = await setup();
    await tick();
    http.expectOne('/api/portfolio').flush(portfolio([]));
    // No history: the chart (which jsdom cannot draw) stays out of these tests.
    history$(30).flush({ valuation: 'candles', points: [] });
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await settle(fixture);
    watchlist();
    await settle(fixture);
    expect(textOf(el)).toContain('Nothing on your watchlist yet. Star an asset in Markets or on its page to follow its price here.');
    http.verify();
    fixture.destroy();
  });
});
