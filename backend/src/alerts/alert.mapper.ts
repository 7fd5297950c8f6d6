import type { AlertDto } from './dto/alert.dto';
import type { AlertCondition, ArmedAlert } from './alert-rules';

/** An `alerts` row as the database driver returns it. */
export interface AlertRow {
  id: string;
  user_id: string;
  symbol: string;
  condition: AlertCondition;
  target_price: string;
  notify_email: boolean;
  notify_push: boolean;
  active: boolean;
  triggered_at: Date | null;
  triggered_price: string | null;
  created_at: Date;
  updated_at: Date;
}

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

export function toArmedAlert(r: Pick<AlertRow, 'id' | 'user_id' | 'symbol' | 'condition' | 'target_price'>): ArmedAlert {
  return { id: r.id, userId: r.user_id, symbol: r.symbol, condition: r.condition, targetPrice: r.target_price };
}

/** Tells every instance's trigger engine that an alert changed (it reloads the row). */
export const ALERTS_CHANGED_CHANNEL = 'alerts:changed';
