import type { AlertDto } from './dto/alert.dto';
import { alertLevel, type ArmedAlert } from './alert-rules';
import type { AlertRow, ArmedAlertRow } from './alerts.repository';

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toAlertDto(r: AlertRow): AlertDto {
  const move = r.kind === 'move';
  return {
    id: r.id,
    symbol: r.symbol,
    kind: r.kind,
    condition: r.condition,
    targetPrice: move ? null : r.target_price,
    movePct: move ? r.move_pct : null,
    cooldownSeconds: r.cooldown_seconds,
    rearmAt: r.active ? iso(r.rearm_at) : null,
    notifyEmail: r.notify_email,
    notifyPush: r.notify_push,
    active: r.active,
    triggeredAt: iso(r.triggered_at),
    triggeredPrice: r.triggered_price,
    triggeredChange: r.triggered_change,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/**
 * An armed alert as a trigger book holds it: a price alert at its target (`above` at or above, `below` at or
 * below), a move alert at its signed percentage (`up` at or above +p, `down` at or below -p).
 */
export function toArmedAlert(r: ArmedAlertRow): ArmedAlert {
  return {
    id: r.id,
    userId: r.user_id,
    symbol: r.symbol,
    kind: r.kind,
    condition: r.condition,
    direction: r.condition === 'above' || r.condition === 'up' ? 'at-or-above' : 'at-or-below',
    trigger: alertLevel(r.condition, r.target_price, r.move_pct),
    rearmAt: r.rearm_at ? new Date(r.rearm_at).getTime() : null,
  };
}

/** Tells every instance's trigger engine that an alert changed (it reloads the row). */
export const ALERTS_CHANGED_CHANNEL = 'alerts:changed';
