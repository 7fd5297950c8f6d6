import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { RecurringBuyDto, RecurringBuyRunDto } from '../../api/models';
import { buttonByName, buttonByText, chooseOption, dialogClosed, rows, tick } from '../../../testing/dom';
import { toLocalInput } from './recurring-form';
import { RecurringPage } from './recurring.page';

const run = (id: string, patch: Partial<RecurringBuyRunDto>): RecurringBuyRunDto => ({
  id, periodStart: '2026-11-28T09:00:00.000Z', ranAt: '2026-11-28T09:00:01.000Z', status: 'filled', orderId: 'o1', quantity: '0.00012048',
  price: '83000.00', fee: '0.01', quoteAmount: '9.99', reasonCode: null, reason: null, ...patch,
});
const schedule = (id: string, patch: Partial<RecurringBuyDto>): RecurringBuyDto => ({
  id, symbol: 'BTC', quoteAmount: '10.00', frequency: 'daily', status: 'active', startAt: '2026-11-28T09:00:00.000Z', nextRunAt: '2026-11-29T09:00:00.000Z',
  lastRun: null, createdAt: '2026-11-28T09:00:00.000Z', updatedAt: '2026-11-28T09:00:00.000Z', pausedAt: null, deletedAt: null, ...patch,
});
const daily = schedule('s1', { lastRun: run('r1', {}) });
const monthly = schedule('s2', { symbol: 'ETH', quoteAmount: '25.50', frequency: 'monthly', status: 'paused', nextRunAt: null });

describe('RecurringPage', () => {
  let http: HttpTestingController;

  async function open(symbol?: string) {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } }],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(RecurringPage);
    if (symbol) fixture.componentRef.setInput('symbol', symbol);
    await tick();
    http.expectOne('/api/crypto').flush({ cryptocurrencies: [{ symbol: 'BTC', name: 'Bitcoin' }, { symbol: 'ETH', name: 'Ethereum' }] });
    http.expectOne((r) => r.url === '/api/recurring-buys' && r.method === 'GET').flush({ items: [daily, monthly], nextCursor: null });
    await tick();
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const list = () => rows(el.querySelector('[data-testid=recurring-buys]'));
    const amount = () => el.querySelector<HTMLInputElement>('input[name=quoteAmount]')!;
    const type = async (value: string) => {
      amount().value = value;
      amount().dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const submit = async () => {
      el.querySelector('form')!.dispatchEvent(new Event('submit'));
      await tick();
    };
    return { fixture, el, list, type, submit };
  }

  afterEach(() => document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = '')));

  it('lists each recurring buy with its amount, how often, its state, when it runs next and how the last run went', async () => {
    const { list } = await open();
    expect(list()[0]).toEqual(expect.arrayContaining(['BTC', '$10.00', 'Daily', 'active']));
    expect(list()[0][4]).toMatch(/Nov 29, 2026/);
    expect(list()[0][5]).toMatch(/^filled/);
    expect(list()[1]).toEqual(expect.arrayContaining(['ETH', '$25.50', 'Monthly', 'paused', '—']));
  });

  it('starts a recurring buy of the asset given in the address, checking the amount before anything is sent', async () => {
    const { fixture, el, list, type, submit } = await open('eth');
    expect(el.querySelector('mat-select[name=symbol]')?.textContent).toContain('ETH · Ethereum');
    await type('10.001');
    await submit();
    expect(el.querySelector('mat-error')?.textContent).toContain('Use at most 2 decimals');
    http.expectNone((r) => r.method === 'POST');

    await type('20');
    await submit();
    const post = http.expectOne((r) => r.url === '/api/recurring-buys' && r.method === 'POST');
    expect(post.request.body).toEqual({ symbol: 'ETH', quoteAmount: '20', frequency: 'weekly' });
    expect(post.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    post.flush({ recurringBuy: schedule('s3', { symbol: 'ETH', quoteAmount: '20.00', frequency: 'weekly' }) });
    await tick();
    await fixture.whenStable();
    expect(list()[0]).toEqual(expect.arrayContaining(['ETH', '$20.00', 'Weekly', 'active']));
    http.verify();
  });

  it('starts the first buy at a time the user picks, in their local time, refusing a time already past', async () => {
    const { fixture, el, type, submit } = await open('btc');
    await type('15');
    await chooseOption(el, 'First buy', 'At a time I choose');
    await fixture.whenStable();
    const start = () => el.querySelector<HTMLInputElement>('input[name=startAt]')!;
    const pick = async (local: string) => {
      start().value = local;
      start().dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    // Nothing picked yet: asked for, nothing sent.
    await submit();
    expect(el.querySelector('mat-error')?.textContent).toContain('Choose the date and time of the first buy');
    http.expectNone((r) => r.method === 'POST');

    await pick(toLocalInput(new Date(Date.now() - 3_600_000)));
    await submit();
    expect(el.querySelector('mat-error')?.textContent).toContain('Choose a time from now on');
    http.expectNone((r) => r.method === 'POST');

    const at = new Date(Date.now() + 3 * 86_400_000);
    at.setSeconds(0, 0);
    await pick(toLocalInput(at));
    expect(el.textContent).toContain('The first buy runs on');
    await submit();
    const post = http.expectOne((r) => r.url === '/api/recurring-buys' && r.method === 'POST');
    expect(post.request.body).toEqual({ symbol: 'BTC', quoteAmount: '15', frequency: 'weekly', startAt: at.toISOString() });
    post.flush({ recurringBuy: schedule('s4', { quoteAmount: '15.00', frequency: 'weekly', startAt: at.toISOString(), nextRunAt: at.toISOString() }) });
    await tick();
    http.verify();
  });

  it('pauses and resumes, and deletes only after a confirmation', async () => {
    const { fixture, el, list } = await open();
    buttonByName(el, 'Pause your daily buy of $10.00 of BTC').click();
    http.expectOne((r) => r.url === '/api/recurring-buys/s1/pause' && r.method === 'POST').flush({ recurringBuy: { ...daily, status: 'paused', nextRunAt: null } });
    await tick();
    await fixture.whenStable();
    expect(list()[0]).toEqual(expect.arrayContaining(['BTC', 'paused', '—']));

    buttonByName(el, 'Resume your monthly buy of $25.50 of ETH').click();
    http.expectOne((r) => r.url === '/api/recurring-buys/s2/resume').flush({ recurringBuy: { ...monthly, status: 'active', nextRunAt: '2026-12-28T09:00:00.000Z' } });
    await tick();
    await fixture.whenStable();
    expect(list()[1]).toEqual(expect.arrayContaining(['ETH', 'active']));

    buttonByName(el, 'Delete your monthly buy of $25.50 of ETH').click();
    await tick();
    expect(document.querySelector('mat-dialog-container')?.textContent).toContain('Your monthly buy of $25.50 of ETH will stop for good.');
    buttonByText(document.querySelector('mat-dialog-container')!, 'Delete recurring buy').click();
    await dialogClosed();
    http.expectOne((r) => r.url === '/api/recurring-buys/s2' && r.method === 'DELETE').flush({ recurringBuy: { ...monthly, status: 'deleted' } });
    await tick();
    await fixture.whenStable();
    expect(list().map((r) => r[0])).toEqual(['BTC']);
    http.verify();
  });

  it('shows the history of a recurring buy: what each run bought, or why it did not', async () => {
    const { fixture, el } = await open();
    buttonByName(el, 'History of your daily buy of $10.00 of BTC').click();
    await tick();
    http.expectOne((r) => r.url === '/api/recurring-buys/s1/runs').flush({
      items: [
        run('r3', { status: 'failed', orderId: null, quantity: null, price: null, fee: null, quoteAmount: null, reasonCode: 'DATABASE_BUSY', reason: 'The service was too busy to place it (5 attempts)' }),
        run('r2', { status: 'skipped', orderId: null, quantity: null, price: null, fee: null, quoteAmount: null, reasonCode: 'INSUFFICIENT_FUNDS', reason: 'Your available USD balance did not cover $10.00' }),
        run('r1', {}),
      ],
      nextCursor: null,
    });
    await tick();
    await fixture.whenStable();
    const history = rows(el.querySelector('[data-testid=recurring-runs]'));
    expect(history[0]).toEqual(expect.arrayContaining(['failed', '—', 'The service was too busy to place it']));
    expect(history[1]).toEqual(expect.arrayContaining(['skipped', '—', 'Not enough USD available']));
    expect(history[2]).toEqual(expect.arrayContaining(['filled', '0.00012048 BTC', '$83,000.00', '$0.01', 'See orders']));
    expect(el.querySelector('#recurring-history')?.textContent).toContain('History of your daily buy of $10.00 of BTC');
    http.verify();
  });
});
