import { TestBed } from '@angular/core/testing';
import type { AdminWithdrawalDto, WithdrawalPayoutDto } from '../../api/models';
import { apiError, choose, click, settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { AdminWithdrawalsPage } from './admin-withdrawals.page';

const big: AdminWithdrawalDto = {
  id: 'w1', userId: 'u2', userEmail: 'bob@example.com', asset: 'BTC', amount: '0.50000000', fee: '0.00010000', total: '0.50010000', network: 'bitcoin',
  address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', addressId: 'a1', addressLabel: 'Bob cold wallet', status: 'pending', approvals: 0, requiredApprovals: 2, usdValue: '25000.00',
  createdAt: '2026-11-28T20:00:00Z', updatedAt: '2026-11-28T20:00:00Z', explorerUrl: null, cashOut: null, payout: null,
};
const small: AdminWithdrawalDto = { ...big, id: 'w2', userEmail: 'carol@example.com', amount: '0.01000000', usdValue: '500.00', requiredApprovals: 1 };

async function openReview() {
  const http = await setUpApp({ user: { id: 'admin1', role: 'admin' } });
  const fixture = TestBed.createComponent(AdminWithdrawalsPage);
  await settle(fixture);
  http.expectOne('/api/admin/withdrawals?limit=25&status=pending').flush({ items: [big, small], nextCursor: null });
  await settle(fixture);
  const el = fixture.nativeElement as HTMLElement;
  const row = (id: string) => el.querySelector<HTMLElement>(`tr[data-withdrawal-id=${id}]`)!;
  const rowButton = (id: string, label: string) => [...row(id).querySelectorAll('button')].find((b) => b.textContent?.trim() === label)!;
  return { http, fixture, el, row, rowButton };
}

describe('AdminWithdrawalsPage', () => {
  it('shows every status under "All" after another status, and keeps the status chosen last when an earlier one answers late', async () => {
    const { http, fixture, el } = await openReview();
    const shown = () => [...el.querySelectorAll('tr[data-withdrawal-id]')].map((r) => r.getAttribute('data-withdrawal-id'));
    await choose(fixture, 'status', 'approved');
    const approved = http.expectOne('/api/admin/withdrawals?limit=25&status=approved');
    await choose(fixture, 'status', 'All');
    http.expectOne('/api/admin/withdrawals?limit=25').flush({ items: [big, { ...small, status: 'completed' }], nextCursor: null });
    await settle(fixture);
    approved.flush({ items: [{ ...small, status: 'approved' }], nextCursor: 'c-approved' });
    await settle(fixture);
    expect(shown()).toEqual(['w1', 'w2']);
    expect(el.textContent).not.toContain('Load more');
    http.verify();
  });

  it('says a second admin must approve above the threshold, and shows the API refusing the same admin twice', async () => {
    const { http, fixture, el, row, rowButton } = await openReview();
    expect(row('w1').textContent).toContain('0 of 2 approvals');
    // Which saved address of the user it goes to.
    expect(row('w1').textContent).toContain('saved as "Bob cold wallet"');
    expect(rowButton('w1', 'Approve').getAttribute('aria-label')).toBe('Approve withdrawal of 0.50000000 BTC by bob@example.com');

    rowButton('w1', 'Approve').click();
    await settle(fixture);
    http.expectOne({ method: 'POST', url: '/api/admin/withdrawals/w1/approve' }).flush({ withdrawal: { ...big, approvals: 1 } });
    await settle(fixture);
    expect(el.textContent).toContain('Approval recorded (1 of 2): a different admin must also approve this withdrawal.');
    expect(row('w1').textContent).toContain('pending');

    rowButton('w1', 'Approve').click();
    await settle(fixture);
    http
      .expectOne('/api/admin/withdrawals/w1/approve')
      .flush(...apiError(409, 'ALREADY_EXISTS', 'You already approved this withdrawal; a different admin must give the second approval'));
    await settle(fixture);
    expect(el.querySelector('[role=alert]')!.textContent).toContain('You already approved this withdrawal');
    http.verify();
  });

  it('approves, then completes with the transaction hash, leaving the row completed with no actions', async () => {
    const { http, fixture, el, row, rowButton } = await openReview();
    rowButton('w2', 'Approve').click();
    await settle(fixture);
    http.expectOne('/api/admin/withdrawals/w2/approve').flush({ withdrawal: { ...small, approvals: 1, status: 'approved' } });
    await settle(fixture);
    expect(el.textContent).toContain('Approved: it can now be completed');

    rowButton('w2', 'Complete').click();
    await settle(fixture);
    await submit(fixture);
    const empty = http.expectOne('/api/admin/withdrawals/w2/complete');
    empty.flush(...apiError(400, 'VALIDATION_FAILED', 'Invalid request', [{ field: 'txHash', message: 'txHash should not be empty' }]));
    await settle(fixture);
    expect(el.querySelector('input[name=txHash]')!.closest('mat-form-field')!.textContent).toContain('txHash should not be empty');

    const txid = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
    await typeInto(fixture, 'input[name=txHash]', txid);
    await click(fixture, 'Mark as completed');
    const req = http.expectOne('/api/admin/withdrawals/w2/complete');
    expect(req.request.body).toEqual({ txHash: txid });
    req.flush({ withdrawal: { ...small, approvals: 1, status: 'completed', txHash: txid, explorerUrl: `https://mempool.space/tx/${txid}` } });
    await settle(fixture);
    expect(row('w2').textContent).toContain('completed');
    // The payout's transaction, linked to the block explorer the API named, opening in a new tab.
    const link = row('w2').querySelector('a')!;
    expect([link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')]).toEqual([
      `https://mempool.space/tx/${txid}`,
      '_blank',
      'noopener noreferrer',
    ]);
    expect([link.textContent!.trim(), link.getAttribute('title')]).toEqual(['f4184fc596…831e9e16', txid]);
    // Its name carries the hash as shown (label in name), the whole hash is its title.
    expect(link.getAttribute('aria-label')).toBe('Transaction f4184fc596…831e9e16 on a block explorer (opens in a new tab)');
    expect(row('w2').querySelectorAll('button')).toHaveLength(0);
    expect(el.querySelector('input[name=txHash]')).toBeNull();
    http.verify();
  });

  it('rejects with a reason', async () => {
    const { http, fixture, row, rowButton } = await openReview();
    rowButton('w1', 'Reject').click();
    await settle(fixture);
    await typeInto(fixture, 'input[name=reason]', 'Address on a sanctions list');
    await click(fixture, 'Reject withdrawal');
    const req = http.expectOne('/api/admin/withdrawals/w1/reject');
    expect(req.request.body).toEqual({ reason: 'Address on a sanctions list' });
    req.flush({ withdrawal: { ...big, status: 'rejected', rejectReason: 'Address on a sanctions list' } });
    await settle(fixture);
    expect(row('w1').textContent).toContain('rejected');
    expect(row('w1').textContent).toContain('Reason: Address on a sanctions list');
    http.verify();
  });

  it('says an approved withdrawal went to the payment provider, and offers no completing or rejecting by hand while its payout is under way', async () => {
    const { http, fixture, el, row, rowButton } = await openReview();
    const payout: WithdrawalPayoutDto = {
      status: 'processing', manualReason: null, provider: 'nowpayments', currency: 'btc', providerStatus: 'WAITING', providerPayoutId: '5000000713', error: null,
      attempts: 1, createdAt: '2026-11-28T20:01:00Z', updatedAt: '2026-11-28T20:01:00Z',
    };
    rowButton('w2', 'Approve').click();
    await settle(fixture);
    http.expectOne('/api/admin/withdrawals/w2/approve').flush({ withdrawal: { ...small, approvals: 1, status: 'approved', payout } });
    await settle(fixture);
    expect(el.textContent).toContain('Approved and sent to the payment provider: it completes when the provider confirms the payout.');
    expect(row('w2').querySelector('[data-payout-status=processing]')!.textContent).toContain('Payout: the payment provider is sending it');
    expect(row('w2').textContent).toContain('WAITING');
    // No completing or rejecting by hand: only asking the provider what became of it.
    expect([...row('w2').querySelectorAll('button')].map((b) => b.textContent!.trim())).toEqual(['Check with the provider']);
    rowButton('w2', 'Check with the provider').click();
    await settle(fixture);
    http.expectOne((r) => r.url === '/api/admin/withdrawals/w2/payout/resolve' && r.method === 'POST').flush({
      withdrawal: { ...small, approvals: 1, status: 'completed', txHash: 'a'.repeat(64), payout: { ...payout, status: 'finished', providerStatus: 'FINISHED' } },
    });
    await settle(fixture);
    expect(el.textContent).toContain('The payment provider sent it: completed with its transaction hash.');
    http.verify();
  });

  it('says why an operator sends one that is over a cap, and lets the operator complete it', async () => {
    const { http, fixture, el, row, rowButton } = await openReview();
    const payout: WithdrawalPayoutDto = {
      status: 'manual', manualReason: 'over_withdrawal_cap', provider: 'nowpayments', currency: 'btc', providerStatus: null, providerPayoutId: null, error: null,
      attempts: 0, createdAt: '2026-11-28T20:01:00Z', updatedAt: '2026-11-28T20:01:00Z',
    };
    rowButton('w2', 'Approve').click();
    await settle(fixture);
    http.expectOne('/api/admin/withdrawals/w2/approve').flush({ withdrawal: { ...small, approvals: 1, status: 'approved', payout } });
    await settle(fixture);
    expect(el.textContent).toContain('Approved. An operator sends this one: see why beside it.');
    expect(row('w2').textContent).toContain('Not sent automatically: it is worth more than one automatic payout may be.');
    expect([...row('w2').querySelectorAll('button')].map((b) => b.textContent!.trim())).toEqual(['Complete', 'Reject']);
    http.verify();
  });
});
