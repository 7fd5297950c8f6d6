import { dec } from '../../common/money/decimal';
import { canTransition, requiredApprovals, totalDebit, withinDailyLimit } from './withdrawal-state';

describe('withdrawal states', () => {
  it('lets a pending withdrawal be approved, rejected or cancelled, and only an approved one be completed', () => {
    expect(canTransition('pending', 'approve')).toBe(true);
    expect(canTransition('pending', 'reject')).toBe(true);
    expect(canTransition('pending', 'cancel')).toBe(true);
    expect(canTransition('pending', 'complete')).toBe(false);
    expect(canTransition('approved', 'complete')).toBe(true);
    expect(canTransition('approved', 'reject')).toBe(true);
  });

  it('lets the user cancel only while pending, never once an admin approved it', () => {
    expect(canTransition('approved', 'cancel')).toBe(false);
  });

  it('never moves a finished withdrawal again', () => {
    for (const status of ['completed', 'rejected', 'cancelled'] as const) {
      for (const action of ['approve', 'complete', 'reject', 'cancel'] as const) expect(canTransition(status, action)).toBe(false);
    }
  });
});

describe('withdrawal limits', () => {
  it('needs two admins at or above the dual-approval threshold and one below it', () => {
    expect(requiredApprovals(dec('4999.99'), '5000')).toBe(1);
    expect(requiredApprovals(dec('5000'), '5000')).toBe(2);
    expect(requiredApprovals(dec('120000'), '5000')).toBe(2);
  });

  it('allows reaching the daily limit exactly and refuses a cent more', () => {
    expect(withinDailyLimit(dec('49000'), dec('1000'), '50000')).toBe(true);
    expect(withinDailyLimit(dec('49000'), dec('1000.01'), '50000')).toBe(false);
  });

  it('holds the amount plus the fee, in the asset, without rounding', () => {
    expect(totalDebit(dec('0.00050001'), dec('0.0001')).toFixed()).toBe('0.00060001');
  });
});
