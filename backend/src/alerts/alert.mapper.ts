import { dec } from '../common/money/decimal';
import type { AlertDto } from './dto/alert.dto';
import type { ArmedAlert } from './alert-rules';
import type { AlertRow, ArmedAlertRow } from './alerts.repository';

export function toAlertDto(r: AlertRow): AlertDto {
  return {
    id: r.id,
    symbol: r.symbol,
    condition: r.condition,
    targetPrice: r.target_price,
    notifyEmail: r.notify_email,
    notifyPush: r.notify_push,
    active: r.active,
    triggeredAt: r.triggered_at ? new Date(r.triggered_at).toISOString() : null,
    triggeredPrice: r.triggered_price,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** An armed alert as the trigger book holds it: `above` fires at or above the target, `below` at or below. */
export function toArmedAlert(r: ArmedAlertRow): ArmedAlert {
  return {
    id: r.id,
    userId: r.user_id,
    symbol: r.symbol,
    condition: r.condition,
    targetPrice: r.target_price,
    direction: r.condition === 'above' ? 'at-or-above' : 'at-or-below',
    trigger: dec(r.target_price),
  };
}

/** Tells every instance's trigger engine that an alert changed (it reloads the row). */
export const ALERTS_CHANGED_CHANNEL = 'alerts:changed';
