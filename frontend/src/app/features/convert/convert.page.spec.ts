import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { ConvertQuoteDto, ConversionDto } from '../../api/models';
import { chooseOption, rows } from '../../../testing/dom';
import { click, settle, setUpApp, typeInto } from '../../../testing/ui';
import { ConvertPage } from './convert.page';

const quote = (patch: Partial<ConvertQuoteDto> = {}): ConvertQuoteDto => ({
  id: 'q1', from: 'USD', to: 'BTC', give: '100.00', fee: '0.0999001', feeAsset: 'USD', feeUsd: '0.0999001', receive: '0.00095827',
  rate: '0.00000959232613908872902', fromPrice: '1.00', toPrice: '104250.00', spread: '0', createdAt: '2026-12-03T10:00:00.000Z',
  expiresAt: '2026-12-03T10:00:10.000Z', validForMs: 10_000, ...patch,
});
const conversion = (q: ConvertQuoteDto): ConversionDto => ({
  id: q.id, from: q.from, to: q.to, give: q.give, fee: q.fee, feeAsset: q.feeAsset, feeUsd: q.feeUsd, receive: q.receive, rate: q.rate,
  fromPrice: q.fromPrice, toPrice: q.toPrice, createdAt: q.createdAt, settledAt: '2026-12-03T10:00:03.000Z',
});
const wallet = { wallet: { balances: [{ asset: 'USD', available: '500.00', locked: '0.00', total: '500.00', usdValue: '500.00' }], totalUsd: '500.00', updatedAt: null } };

describe('ConvertPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<ConvertPage>;
  let el: HTMLElement;

  const flushLoad = (history: ConversionDto[] = []) => {
    http.expectOne('/api/wallet/balance').flush(wallet);
    http.expectOne((r) => r.url === '/api/convert/history').flush({ items: history, nextCursor: null });
  };

  async function open(params: { from?: string; to?: string } = {}): Promise<void> {
    http = await setUpApp({ user: {} });
    fixture = TestBed.createComponent(ConvertPage);
    if (params.from) fixture.componentRef.setInput('from', params.from);
    if (params.to) fixture.componentRef.setInput('to', params.to);
    el = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    http.expectOne('/api/crypto').flush({ cryptocurrencies: [{ symbol: 'BTC', name: 'Bitcoin' }, { symbol: 'ETH', name: 'Ethereum' }] });
    flushLoad();
    await settle(fixture);
  }

  async function askQuote(q: ConvertQuoteDto): Promise<void> {
    await chooseOption(el, 'From', 'USD');
    await chooseOption(el, 'To', 'BTC');
    await typeInto(fixture, 'input[name=amount]', '100');
    await click(fixture, 'Get quote');
    const req = http.expectOne('/api/convert/quotes');
    expect(req.request.body).toEqual({ from: 'USD', to: 'BTC', amount: '100' });
    req.flush({ quote: q });
    await settle(fixture);
  }

  afterEach(() => http.verify());

  it('quotes what is given for what is received, counts down, and settles exactly that quote once', async () => {
    await open();
    await askQuote(quote());
    const text = el.querySelector('[data-testid=convert-quote]')!.textContent!;
    expect(text).toContain('1 BTC = $104,250.00');
    expect(text).toContain('0.00095827 BTC');
    expect(el.querySelector('[data-testid=quote-countdown]')!.textContent).toMatch(/held for (9|10) more seconds/);

    await click(fixture, 'Convert');
    const settleReq = http.expectOne('/api/convert');
    expect(settleReq.request.body).toEqual({ quoteId: 'q1' });
    expect(settleReq.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    settleReq.flush({ conversion: conversion(quote()) });
    await settle(fixture);
    flushLoad([conversion(quote())]);
    await settle(fixture);
    expect(el.querySelector('[data-testid=convert-result]')!.textContent).toContain('received 0.00095827 BTC');
    expect(rows(el.querySelector('[data-testid=convert-history]'))[0]).toEqual(expect.arrayContaining(['$100.00', '0.00095827 BTC']));
  });

  it('preselects the pair given in the address: the coin page links to /convert?to=eth', async () => {
    await open({ from: 'usd', to: 'eth' });
    expect(el.querySelector('mat-select[name=from]')?.textContent).toContain('USD');
    expect(el.querySelector('mat-select[name=to]')?.textContent).toContain('ETH');
    await typeInto(fixture, 'input[name=amount]', '50');
    await click(fixture, 'Get quote');
    const req = http.expectOne('/api/convert/quotes');
    expect(req.request.body).toEqual({ from: 'USD', to: 'ETH', amount: '50' });
    req.flush({ quote: quote({ to: 'ETH', give: '50.00' }) });
    await settle(fixture);
  });

  it('settles a quote sent in time though its clock runs out before the answer: "confirming", never "expired"', async () => {
    await open();
    await askQuote(quote({ validForMs: 300 }));
    await click(fixture, 'Convert');
    const settleReq = http.expectOne('/api/convert');
    // The quote's 300 ms pass while the server has not answered yet.
    await new Promise((r) => setTimeout(r, 600));
    await settle(fixture);
    expect(el.querySelector('[data-testid=quote-expired]')).toBeNull();
    expect(el.querySelector('[data-testid=quote-countdown]')!.textContent!.trim()).toBe('Sent in time: confirming at this price…');
    settleReq.flush({ conversion: conversion(quote()) });
    await settle(fixture);
    flushLoad([conversion(quote())]);
    await settle(fixture);
    expect(el.querySelector('[data-testid=convert-result]')!.textContent).toContain('received 0.00095827 BTC');
    expect(el.querySelector('[data-testid=quote-expired]')).toBeNull();
  });

  it('offers "Refresh quote" once the quote has expired, and when the server says it has', async () => {
    await open();
    await askQuote(quote({ validForMs: 150 }));
    await new Promise((r) => setTimeout(r, 400));
    await settle(fixture);
    expect(el.querySelector('[data-testid=quote-expired]')).not.toBeNull();
    await click(fixture, 'Refresh quote');
    http.expectOne('/api/convert/quotes').flush({ quote: quote({ id: 'q2' }) });
    await settle(fixture);
    expect(el.querySelector('[data-testid=quote-countdown]')).not.toBeNull();

    await click(fixture, 'Convert');
    http
      .expectOne('/api/convert')
      .flush({ statusCode: 409, error: { code: 'QUOTE_EXPIRED', message: 'This quote has expired: get a new quote' }, requestId: 'r' }, { status: 409, statusText: 'Conflict' });
    await settle(fixture);
    expect(el.textContent).toContain('This quote has expired: get a new quote');
    expect(el.querySelector('[data-testid=quote-expired]')).not.toBeNull();
  });
});
