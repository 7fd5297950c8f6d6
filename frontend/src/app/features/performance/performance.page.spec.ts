import { DeferBlockBehavior, TestBed } from '@angular/core/testing';
import type { PerformanceDto } from '../../api/models';
import { settle, setUpApp } from '../../../testing/ui';
import { PerformancePage } from './performance.page';

const textOf = (el: Element) => el.textContent!.replace(/\s+/g, ' ');
/** Each figure as a reader meets it: its label, then its value. */
const stats = (el: Element) => [...el.querySelectorAll('.stat')].map((s) => [...s.children].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()).join(' '));
const rowText = (r: Element) => [...r.children].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()).join(' ');

const perf = (over: Partial<PerformanceDto> = {}): PerformanceDto => ({
  range: '1M',
  from: '2026-11-02T10:00:00.000Z',
  to: '2026-11-28T12:00:00.000Z',
  firstFundedAt: '2026-11-02T10:00:00.000Z',
  startValue: '0.00',
  endValue: '9783.00',
  inflows: '10000.00',
  outflows: '1200.00',
  netFlows: '8800.00',
  gain: '983.00',
  fees: '17.00',
  twr: '9.82',
  irr: '9.79',
  irrAnnualised: null,
  valuation: 'candles',
  points: [
    { at: '2026-11-02T10:00:00.000Z', value: '10000.00', netFlows: '10000.00' },
    { at: '2026-11-28T12:00:00.000Z', value: '9783.00', netFlows: '8800.00' },
  ],
  assets: [
    {
      symbol: 'BTC',
      name: 'Bitcoin',
      source: 'account',
      quantity: '0.03990000',
      value: '4788.00',
      costBasis: '3993.99',
      unrealised: '794.01',
      realised: '-10.01',
      fees: '17.00',
    },
  ],
  ...over,
});

async function setup() {
  // jsdom has no canvas: the deferred chart stays a placeholder, its text equivalent is what is checked.
  const http = await setUpApp({ user: {}, imports: [PerformancePage], deferBlockBehavior: DeferBlockBehavior.Manual });
  const fixture = TestBed.createComponent(PerformancePage);
  const el: HTMLElement = fixture.nativeElement;
  const performance$ = (range: string) => http.expectOne((r) => r.url === '/api/portfolio/performance' && r.params.get('range') === range);
  return { http, fixture, el, performance$ };
}

describe('PerformancePage', () => {
  it('shows the money put in apart from the gain, both returns and each asset', async () => {
    const { fixture, el, performance$ } = await setup();
    fixture.detectChanges();
    performance$('1M').flush({ performance: perf() });
    await settle(fixture);
    expect(stats(el)).toEqual([
      'Value now $9,783.00',
      'Net deposits +$8,800.00',
      'Gain +$983.00',
      'Time-weighted return +9.82%',
      'Money-weighted return (IRR) +9.79%',
    ]);
    const text = textOf(el);
    expect(text).toContain('$0.00 on');
    expect(text).toContain('plus $8,800.00 net deposits ($10,000.00 in, $1,200.00 out), plus a gain of +$983.00, makes $9,783.00 now.');
    const row = el.querySelector('[data-testid="performance-assets"] tbody tr')!;
    expect(rowText(row)).toBe('Bitcoin 0.0399 BTC $4,788.00 $3,993.99 +$794.01 -$10.01 $17.00');
  });

  it('says "not meaningful" for an IRR without a solution, and reloads for another range', async () => {
    const { fixture, el, performance$ } = await setup();
    fixture.detectChanges();
    performance$('1M').flush({ performance: perf({ irr: null }) });
    await settle(fixture);
    expect(stats(el)).toContain('Money-weighted return (IRR) Not meaningful');
    const all = [...el.querySelectorAll('mat-button-toggle button')].find((b) => b.textContent!.trim() === 'ALL') as HTMLButtonElement;
    all.click();
    await settle(fixture);
    performance$('ALL').flush({ performance: perf({ range: 'ALL', irrAnnualised: '4.10' }) });
    await settle(fixture);
    expect(stats(el)).toContain('Money-weighted return (IRR) +9.79% +4.10% a year');
  });

  it('starts at the first deposit: nothing funded, no figures', async () => {
    const { fixture, el, performance$ } = await setup();
    fixture.detectChanges();
    performance$('1M').flush({ performance: perf({ from: null, firstFundedAt: null, points: [], assets: [], twr: null, irr: null }) });
    await settle(fixture);
    expect(textOf(el)).toContain('Performance starts with your first deposit.');
    expect(el.querySelector('[data-testid="performance-figures"]')).toBeNull();
  });
});
