import { TestBed } from '@angular/core/testing';
import type { CostBasisMethodDto, GainsReportDto, LotDto, StatementMonthDto } from '../../api/models';
import { buttonByText } from '../../../testing/dom';
import { settle, setUpApp } from '../../../testing/ui';
import { ReportsPage } from './reports.page';

const year = new Date().getUTCFullYear();
const month = `${year}-${String(new Date().getUTCMonth() + 1).padStart(2, '0')}`;

/** A deposit in kind of 0.5 BTC: its cost is its owner's to enter, unknown until then. */
const deposited: LotDto = {
  id: '0b7d3c2e-9a51-4f3a-8c61-2f5e7d9b1a44',
  asset: 'BTC',
  origin: 'deposit',
  acquiredAt: `${year}-01-10T12:00:00.000Z`,
  quantity: '0.50000000',
  remaining: '0.40000000',
  costBasis: null,
  remainingCostBasis: null,
  costBasisSource: 'unknown',
  costBasisEditable: true,
  status: 'open',
};

/** The year's report: 0.1 BTC of that deposit sold for 6,000 after fees, its gain unknown while the cost is. */
function report(costBasis: string | null): GainsReportDto {
  const known = costBasis !== null;
  return {
    year,
    from: `${year}-01-01T00:00:00.000Z`,
    to: `${year + 1}-01-01T00:00:00.000Z`,
    method: 'fifo',
    disposals: [
      {
        journalId: 'j1',
        lotId: deposited.id,
        withdrawalId: null,
        asset: 'BTC',
        kind: 'sale',
        method: 'fifo',
        quantity: '0.10000000',
        acquiredAt: deposited.acquiredAt,
        disposedAt: `${year}-02-01T12:00:00.000Z`,
        proceeds: '6000.00',
        fee: '6.00',
        costBasis,
        gain: known ? '1500.00' : null,
        term: known ? 'short' : null,
      },
    ],
    totals: {
      disposals: 1,
      unknown: known ? 0 : 1,
      proceeds: '6000.00',
      costBasis: known ? '4500.00' : '0.00',
      fees: '6.00',
      gain: known ? '1500.00' : '0.00',
      shortTermGain: known ? '1500.00' : '0.00',
      longTermGain: '0.00',
    },
    withdrawals: [],
    unknownCostBasisLots: known ? 0 : 1,
  };
}

const method: CostBasisMethodDto = { method: 'fifo', pending: null, history: [] };
const months: StatementMonthDto[] = [{ month, from: `${month}-01T00:00:00.000Z`, to: new Date().toISOString(), complete: false }];

async function setup() {
  const http = await setUpApp({ user: {}, imports: [ReportsPage] });
  const fixture = TestBed.createComponent(ReportsPage);
  const el: HTMLElement = fixture.nativeElement;
  fixture.detectChanges();
  await settle(fixture);
  http.expectOne((r) => r.url === '/api/reports/gains' && r.params.get('year') === String(year)).flush({ report: report(null) });
  http.expectOne('/api/portfolio/cost-basis-method').flush({ costBasisMethod: method });
  http.expectOne('/api/portfolio/lots').flush({ items: [deposited, { ...deposited, id: 'bought', origin: 'buy', costBasis: '100.00', costBasisEditable: false }] });
  http.expectOne('/api/reports/statements').flush({ items: months, timeZone: 'UTC' });
  await settle(fixture);
  return { http, fixture, el };
}

const text = (el: Element | null): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('ReportsPage', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows a deposit in kind at an unknown cost until its owner enters one, then the gain it makes', async () => {
    const { http, fixture, el } = await setup();
    // Only the deposit is listed (a bought lot's cost is the trade's), its cost shown as unknown, and the year says why
    // its totals leave the sale out.
    const lots = el.querySelectorAll('[data-testid=unknown-lots] li');
    expect(lots).toHaveLength(1);
    expect(text(lots[0])).toContain('0.5 BTC');
    expect(text(lots[0])).toContain('Unknown cost');
    expect(text(el.querySelector('[data-testid=gains-unknown]'))).toBe(
      '1 disposal has an unknown cost basis and is left out of the totals. Enter the cost of your deposits below.',
    );
    expect(text(el.querySelector('[data-testid=gains-disposals] tbody tr'))).toContain('Unknown');

    const input = lots[0].querySelector<HTMLInputElement>('input[name=cost]')!;
    input.value = ' 22500 ';
    lots[0].querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle(fixture);
    const put = http.expectOne(`/api/portfolio/lots/${deposited.id}/cost-basis`);
    expect(put.request.body).toEqual({ costBasis: '22500' });
    put.flush({ lot: { ...deposited, costBasis: '22500.00', remainingCostBasis: '18000.00', costBasisSource: 'entered' } });
    await settle(fixture);
    http.expectOne((r) => r.url === '/api/reports/gains').flush({ report: report('4500.00') });
    await settle(fixture);

    expect(text(el.querySelector('[data-testid=unknown-lots] li'))).toContain('$22,500.00');
    expect(text(el.querySelector('[data-testid=unknown-lots] li'))).not.toContain('Unknown cost');
    expect(el.querySelector('[data-testid=gains-unknown]')).toBeNull();
    expect(text(el.querySelector('[data-testid=gains-totals]'))).toContain('+$1,500.00');
    http.verify();
    fixture.destroy();
  });

  it('says in the server’s words why a month’s PDF is refused, and the CSV of that month still downloads', async () => {
    const { http, fixture, el } = await setup();
    const saved: { name: string; blob: Blob }[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => (saved.push({ name: '', blob: b }), 'blob:statement'));
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.at(-1)!.name = this.download;
    });

    buttonByText(el, 'Download PDF').click();
    await settle(fixture);
    const message = 'This month has 5,001 movements, more than a PDF statement holds (5,000); download the CSV instead';
    // A download is asked for as a file: the refusal arrives as JSON inside it, and is read as such.
    http.expectOne(`/api/reports/statements/${month}.pdf`).flush(
      new Blob([JSON.stringify({ statusCode: 422, error: { code: 'STATEMENT_TOO_LARGE', message }, requestId: 'r1' })], { type: 'application/json' }),
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle(fixture);
    await settle(fixture);
    expect(text(el.querySelector('[data-testid=statements] [role=alert]'))).toBe(message);
    // Said once, beside the buttons: no snackbar repeats it.
    expect(document.querySelector('.cv-error-snack')).toBeNull();
    expect(saved).toEqual([]);

    buttonByText(el, 'Download CSV').click();
    await settle(fixture);
    http
      .expectOne(`/api/reports/statements/${month}.csv`)
      .flush('row,asset\nopening,USD\n', { headers: { 'Content-Disposition': `attachment; filename="cryptovault-statement-${month}.csv"` } });
    await settle(fixture);
    expect(saved.map((s) => s.name)).toEqual([`cryptovault-statement-${month}.csv`]);
    expect(el.querySelector('[data-testid=statements] [role=alert]')).toBeNull();
    http.verify();
    fixture.destroy();
  });
});
