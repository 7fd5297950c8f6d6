import { TestBed } from '@angular/core/testing';
import type { ReconciliationDto, ReconciliationLineDto } from '../../api/models';
import { apiError, click, settle, setUpApp } from '../../../testing/ui';
import { AdminReconciliationPage } from './admin-reconciliation.page';

const line = (over: Partial<ReconciliationLineDto>): ReconciliationLineDto => ({
  asset: 'BTC',
  liabilities: '1.50000000',
  provider: '1.60000000',
  pending: '0.00000000',
  inFlight: '0.00000000',
  difference: '0.10000000',
  status: 'covered',
  currencies: ['btc'],
  backedBy: null,
  ...over,
});
const run = (over: Partial<ReconciliationDto>): ReconciliationDto => ({
  id: 'r1',
  provider: 'nowpayments',
  trigger: 'schedule',
  requestedBy: null,
  status: 'ok',
  error: null,
  durationMs: 120,
  createdAt: '2026-11-28T02:00:00Z',
  lines: [line({})],
  ...over,
});

async function openPage(items: ReconciliationDto[]) {
  const http = await setUpApp({ user: { id: 'admin1', role: 'admin' } });
  const fixture = TestBed.createComponent(AdminReconciliationPage);
  await settle(fixture);
  http.expectOne('/api/admin/reconciliations?limit=10').flush({ items, nextCursor: null });
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

describe('AdminReconciliationPage', () => {
  it('shows the latest run per asset, the shortfall signed and marked, USD backed by the stablecoins, and the earlier runs', async () => {
    const latest = run({
      id: 'r2',
      status: 'short',
      trigger: 'admin',
      requestedBy: 'admin1',
      lines: [
        line({ asset: 'ETH', liabilities: '2.00000000', provider: '1.50000000', pending: '0.75000000', difference: '-0.50000000', status: 'short', currencies: ['eth'] }),
        line({ asset: 'USD', liabilities: '250.00000000', provider: '300.00000000', difference: '50.00000000', currencies: [], backedBy: ['USDT', 'USDC'] }),
      ],
    });
    const { el, http } = await openPage([latest, run({})]);
    const eth = el.querySelector<HTMLElement>('.latest tr[data-asset=ETH]')!;
    expect(eth.classList).toContain('short');
    expect(eth.querySelector('.difference')!.textContent).toContain('-0.5');
    expect(eth.textContent).toContain('short');
    expect(el.querySelector('.latest tr[data-asset=USD]')!.textContent).toContain('backed by USDT + USDC');
    expect(el.querySelector('.latest')!.textContent).toContain('An admin, on demand');
    const earlier = el.querySelector<HTMLElement>('table.runs tr[data-reconciliation-id=r1]')!;
    expect(earlier.textContent).toContain('Daily schedule');
    expect(earlier.textContent).toContain('covered');
    http.verify();
  });

  it('runs one now and puts it first, saying whether the provider covers everything', async () => {
    const { el, http, fixture } = await openPage([]);
    expect(el.textContent).toContain('No reconciliation has run yet: run one now.');
    await click(fixture, 'Run now');
    const req = http.expectOne({ method: 'POST', url: '/api/admin/reconciliations' });
    req.flush({ reconciliation: run({ id: 'r9', trigger: 'admin', requestedBy: 'admin1' }) });
    await settle(fixture);
    expect(el.querySelector('[role=status]')!.textContent).toContain('Reconciled: the provider covers every asset.');
    expect(el.querySelector('.latest')!.getAttribute('data-reconciliation-id')).toBe('r9');
    http.verify();
  });

  it('says when the provider could not be read, and shows a refusal of the API', async () => {
    const { el, http, fixture } = await openPage([run({ status: 'error', error: 'NOWPayments unreachable: connect ECONNREFUSED', lines: [] })]);
    expect(el.querySelector('.latest [role=alert]')!.textContent).toContain("The payment provider's balances could not be read: NOWPayments unreachable");
    await click(fixture, 'Run now');
    http.expectOne('/api/admin/reconciliations').flush(...apiError(403, 'FORBIDDEN', 'This requires the admin role'));
    await settle(fixture);
    expect([...el.querySelectorAll('[role=alert]')].map((a) => a.textContent)).toContain('This requires the admin role');
    http.verify();
  });
});
