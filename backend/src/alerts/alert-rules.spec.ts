import { dec } from '../common/money/decimal';
import { reaches } from '../triggers/trigger-book';
import { alertFiredText } from './alert-trigger.service';
import {
  alertLevel,
  alertReached,
  alertShapeProblems,
  alreadyCrossedMessage,
  MOVE_ALERT_TARGET_PLACEHOLDER,
  percentWords,
  signedPercentWords,
} from './alert-rules';
import { toAlertDto, toArmedAlert } from './alert.mapper';
import type { AlertRow } from './alerts.repository';

const row = (patch: Partial<AlertRow>): AlertRow => ({
  id: 'a1',
  user_id: 'u1',
  symbol: 'BTC',
  kind: 'price',
  condition: 'above',
  target_price: '70000.00000000',
  move_pct: null,
  cooldown_seconds: null,
  rearm_at: null,
  notify_email: false,
  notify_push: true,
  active: true,
  triggered_at: null,
  triggered_price: null,
  triggered_change: null,
  created_at: new Date('2026-11-28T10:00:00Z'),
  updated_at: new Date('2026-11-28T10:00:00Z'),
  ...patch,
});
const quote = (price: string, change24h: string) => ({ symbol: 'BTC', price, change24h, timestamp: new Date('2026-11-28T12:00:00Z'), source: 'test' });

describe('alert rules', () => {
  it('reaches a price alert at its target, equal counting, and a move alert at its signed percentage of the 24 h change', () => {
    expect(alertReached('above', dec('70000'), '69999.99999999', '50')).toBe(false);
    expect(alertReached('above', dec('70000'), '70000', '-50')).toBe(true);
    expect(alertReached('below', dec('0.25'), '0.25000001', '0')).toBe(false);
    expect(alertReached('below', dec('0.25'), '0.25', '0')).toBe(true);
    expect(alertReached('up', alertLevel('up', MOVE_ALERT_TARGET_PLACEHOLDER, '5'), '1', '4.9999')).toBe(false);
    expect(alertReached('up', alertLevel('up', MOVE_ALERT_TARGET_PLACEHOLDER, '5'), '1', '5.0000')).toBe(true);
    expect(alertReached('down', alertLevel('down', MOVE_ALERT_TARGET_PLACEHOLDER, '5'), '1', '-4.99')).toBe(false);
    expect(alertReached('down', alertLevel('down', MOVE_ALERT_TARGET_PLACEHOLDER, '5'), '1', '-5.01')).toBe(true);
    // A fall never fires an alert on a rise, however large.
    expect(alertReached('up', dec('5'), '1', '-60')).toBe(false);
  });

  it('puts each alert in its trigger book at the level and on the side it fires, with the end of its cooldown', () => {
    const down = toArmedAlert(row({ kind: 'move', condition: 'down', target_price: MOVE_ALERT_TARGET_PLACEHOLDER, move_pct: '7.50' }));
    expect({ direction: down.direction, trigger: down.trigger.toFixed() }).toEqual({ direction: 'at-or-below', trigger: '-7.5' });
    expect(reaches(down, dec('-7.5'))).toBe(true);
    expect(reaches(down, dec('-7.49'))).toBe(false);
    const up = toArmedAlert(row({ kind: 'move', condition: 'up', move_pct: '3' }));
    expect({ direction: up.direction, trigger: up.trigger.toFixed(), rearmAt: up.rearmAt }).toEqual({ direction: 'at-or-above', trigger: '3', rearmAt: null });
    const cooling = toArmedAlert(row({ condition: 'below', cooldown_seconds: 3600, rearm_at: new Date('2026-11-28T13:00:00Z') }));
    expect({ direction: cooling.direction, trigger: cooling.trigger.toFixed(), rearmAt: cooling.rearmAt }).toEqual({
      direction: 'at-or-below',
      trigger: '70000',
      rearmAt: Date.parse('2026-11-28T13:00:00Z'),
    });
  });

  it('shows a move alert without its stored placeholder price, and a cooldown only while the alert is armed', () => {
    const move = toAlertDto(row({ kind: 'move', condition: 'up', target_price: MOVE_ALERT_TARGET_PLACEHOLDER, move_pct: '5.00', cooldown_seconds: 86400 }));
    expect(move).toMatchObject({ kind: 'move', condition: 'up', targetPrice: null, movePct: '5.00', cooldownSeconds: 86400, rearmAt: null });
    const cooling = toAlertDto(row({ cooldown_seconds: 3600, rearm_at: new Date('2026-11-28T13:00:00Z') }));
    expect(cooling).toMatchObject({ kind: 'price', targetPrice: '70000.00000000', movePct: null, rearmAt: '2026-11-28T13:00:00.000Z' });
    expect(toAlertDto(row({ active: false, cooldown_seconds: 3600, rearm_at: new Date('2026-11-28T13:00:00Z') })).rearmAt).toBeNull();
  });

  it('tells the fields that do not belong to the kind, and a condition of the other kind, one message each', () => {
    expect(alertShapeProblems('price', { condition: 'above', targetPrice: '1' })).toEqual([]);
    expect(alertShapeProblems('move', { condition: 'down', movePct: '1' })).toEqual([]);
    expect(alertShapeProblems('price', { condition: 'up', movePct: '5' })).toEqual([
      { field: 'condition', message: 'Choose above or below' },
      { field: 'movePct', message: 'Leave out the move in percent: it is only for alerts on a 24 h move' },
    ]);
    expect(alertShapeProblems('move', { condition: 'below', targetPrice: '5' })).toEqual([
      { field: 'condition', message: 'Choose up or down' },
      { field: 'targetPrice', message: 'Leave out the target price: an alert on a 24 h move has none' },
    ]);
    // A change that leaves the condition as it is.
    expect(alertShapeProblems('move', {})).toEqual([]);
  });

  it('says why an alert would fire at once, with the price or change now, and nothing when it would not', () => {
    expect(alreadyCrossedMessage('BTC', 'above', '70000', null, quote('70000', '0'))).toBe(
      'BTC already trades at $70,000.00, at or above $70,000.00: the alert would fire at once',
    );
    expect(alreadyCrossedMessage('BTC', 'above', '70000', null, quote('69999.99', '0'))).toBeNull();
    expect(alreadyCrossedMessage('BTC', 'below', '80000', null, quote('71234.5', '0'))).toBe(
      'BTC already trades at $71,234.50, at or below $80,000.00: the alert would fire at once',
    );
    expect(alreadyCrossedMessage('BTC', 'up', MOVE_ALERT_TARGET_PLACEHOLDER, '5', quote('71234.5', '6.2049'))).toBe(
      'BTC is already up 6.20% in 24 hours (at least 5.00%) at $71,234.50: the alert would fire at once',
    );
    expect(alreadyCrossedMessage('BTC', 'down', MOVE_ALERT_TARGET_PLACEHOLDER, '2.5', quote('0.5', '-3'))).toBe(
      'BTC is already down 3.00% in 24 hours (at least 2.50%) at $0.50: the alert would fire at once',
    );
    expect(alreadyCrossedMessage('BTC', 'down', MOVE_ALERT_TARGET_PLACEHOLDER, '2.5', quote('0.5', '2.6'))).toBeNull();
  });

  it('writes percentages with two decimals, as the client does, and the change with its sign', () => {
    expect([percentWords('5'), percentWords('-6.205'), percentWords('0.125')]).toEqual(['5.00%', '6.20%', '0.12%']);
    expect([signedPercentWords('6.2'), signedPercentWords('-3'), signedPercentWords('0')]).toEqual(['+6.20%', '-3.00%', '0.00%']);
  });

  it('writes the notification of a fired alert in words, with when a repeating one is armed again', () => {
    const at = new Date('2026-11-28T12:00:00Z');
    expect(alertFiredText(row({ active: false, triggered_at: at, triggered_price: '70012.34' }), quote('70012.34', '1'))).toEqual({
      title: 'BTC is above $70,000.00',
      body: 'Your alert “BTC above $70,000.00” fired: BTC traded at $70,012.34 on Nov 28, 2026, 12:00 UTC.',
    });
    const repeating = row({
      kind: 'move',
      condition: 'down',
      move_pct: '5.00',
      cooldown_seconds: 3600,
      rearm_at: new Date('2026-11-28T13:00:00.5Z'),
      triggered_at: at,
      triggered_price: '60000',
      triggered_change: '-5.2500',
    });
    expect(alertFiredText(repeating, quote('60000', '-5.25'))).toEqual({
      title: 'BTC is down 5.25% in 24 hours',
      body: 'Your alert “BTC down 5.00% in 24 hours” fired: BTC traded at $60,000.00, -5.25% in 24 hours, on Nov 28, 2026, 12:00 UTC. It is armed again from Nov 28, 2026, 13:01 UTC.',
    });
  });
});
