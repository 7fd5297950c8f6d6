import { Injectable, inject } from '@angular/core';
import { Api } from '../../api/api';
import { createAlert } from '../../api/fn/alerts/create-alert';
import { deleteAlert } from '../../api/fn/alerts/delete-alert';
import { listAlerts } from '../../api/fn/alerts/list-alerts';
import { updateAlert } from '../../api/fn/alerts/update-alert';
import type { AlertDto, CreateAlertDto, UpdateAlertDto } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { silentErrors } from '../../core/http/http-context';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';
import type { ConfirmOptions } from '../../core/ui/confirm-dialog';

const PAGE = 50;

/** The API's answer to an alert the market already reaches (409): it would fire at once unless the user confirms. */
export const ALERT_ALREADY_CROSSED = 'ALERT_ALREADY_CROSSED';

/** The cooldowns a repeating alert is offered: 1 hour, 4 hours, 1 day, 1 week (the server's least is 1 hour). */
export const COOLDOWN_CHOICES: readonly number[] = [3_600, 14_400, 86_400, 604_800];

/** How often a repeating alert may fire, in words: "Every hour", "Every 4 hours", "Every day", "Every 2 weeks". */
export function cooldownWords(seconds: number): string {
  if (seconds % 604_800 === 0) {
    const n = seconds / 604_800;
    return n === 1 ? $localize`:a repeating alert's cooldown:Every week` : $localize`:a repeating alert's cooldown:Every ${n}:count: weeks`;
  }
  if (seconds % 86_400 === 0) {
    const n = seconds / 86_400;
    return n === 1 ? $localize`:a repeating alert's cooldown:Every day` : $localize`:a repeating alert's cooldown:Every ${n}:count: days`;
  }
  if (seconds % 3_600 === 0) {
    const n = seconds / 3_600;
    return n === 1 ? $localize`:a repeating alert's cooldown:Every hour` : $localize`:a repeating alert's cooldown:Every ${n}:count: hours`;
  }
  if (seconds % 60 === 0) {
    const n = seconds / 60;
    return n === 1 ? $localize`:a repeating alert's cooldown:Every minute` : $localize`:a repeating alert's cooldown:Every ${n}:count: minutes`;
  }
  return seconds === 1 ? $localize`:a repeating alert's cooldown:Every second` : $localize`:a repeating alert's cooldown:Every ${seconds}:count: seconds`;
}

/** The question before an alert the market already reaches is created (or saved, or re-armed): the server's words say why. */
export function fireNowQuestion(serverMessage: string, editing: boolean): ConfirmOptions {
  return {
    title: $localize`This alert would fire at once`,
    message: `${serverMessage}. ${$localize`Do you want it anyway? It fires as soon as it is armed.`}`,
    confirm: editing ? $localize`Save and fire now` : $localize`Create and fire now`,
    dismiss: $localize`:keep editing an alert instead of creating it:Change it`,
  };
}

/** The user's alerts; refreshes when /ws/user reports one fired. */
@Injectable()
export class AlertsStore {
  private readonly api = inject(Api);
  private readonly pages = new CursorPages<AlertDto>((cursor) => this.api.invoke(listAlerts, { limit: PAGE, cursor }));
  readonly items = this.pages.items;
  readonly nextCursor = this.pages.nextCursor;
  readonly loading = this.pages.loading;

  constructor() {
    whenBumped(inject(UserEventsStore).alertsChanged, () => void this.load().catch(() => undefined));
  }

  load(): Promise<void> {
    return this.pages.reload();
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }

  /** Rejects with an ApiError (field messages for the form, ALERT_ALREADY_CROSSED for its question); no snackbar. */
  async create(body: CreateAlertDto): Promise<AlertDto> {
    const alert = await this.api.invoke(createAlert, { body }, silentErrors());
    this.pages.patch((items) => [alert, ...items]);
    return alert;
  }

  /** Rejects with an ApiError (field messages for the form, ALERT_ALREADY_CROSSED for its question); no snackbar. */
  async update(id: string, body: UpdateAlertDto): Promise<AlertDto> {
    const alert = await this.api.invoke(updateAlert, { id, body }, silentErrors());
    this.replace(alert);
    return alert;
  }

  /** Pause (false) or re-arm (true; `confirmCrossed` when the user agreed it fires at once). Rejects with the ApiError; no snackbar. */
  async setActive(id: string, active: boolean, confirmCrossed = false): Promise<AlertDto> {
    const alert = await this.api.invoke(updateAlert, { id, body: { active, ...(confirmCrossed ? { confirmCrossed: true } : {}) } }, silentErrors());
    this.replace(alert);
    return alert;
  }

  async remove(id: string): Promise<void> {
    await this.api.invoke(deleteAlert, { id });
    this.pages.patch((items) => items.filter((a) => a.id !== id));
  }

  private replace(alert: AlertDto): void {
    this.pages.patch((items) => items.map((a) => (a.id === alert.id ? alert : a)));
  }
}
