import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { createAlert } from '../../api/fn/alerts/create-alert';
import { deleteAlert } from '../../api/fn/alerts/delete-alert';
import { listAlerts } from '../../api/fn/alerts/list-alerts';
import { updateAlert } from '../../api/fn/alerts/update-alert';
import type { AlertDto, CreateAlertDto, UpdateAlertDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';

const PAGE = 50;

/** The user's price alerts; refreshes when /ws/user reports one fired. */
@Injectable()
export class AlertsStore {
  private readonly api = inject(Api);
  readonly items = signal<AlertDto[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);

  constructor() {
    whenBumped(inject(UserEventsStore).alertsChanged, () => void this.load().catch(() => undefined));
  }

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await this.api.invoke(listAlerts, { limit: PAGE });
      this.items.set(res.items);
      this.nextCursor.set(res.nextCursor);
    } finally {
      this.loading.set(false);
    }
  }

  async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return;
    const res = await this.api.invoke(listAlerts, { limit: PAGE, cursor });
    this.items.update((items) => [...items, ...res.items]);
    this.nextCursor.set(res.nextCursor);
  }

  /** Rejects with an ApiError (field messages for the form); no snackbar. */
  async create(body: CreateAlertDto): Promise<AlertDto> {
    const alert = await this.api.invoke(createAlert, { body }, silentErrors());
    this.items.update((items) => [alert, ...items]);
    return alert;
  }

  /** Rejects with an ApiError (field messages for the form); no snackbar. */
  async update(id: string, body: UpdateAlertDto): Promise<AlertDto> {
    const alert = await this.api.invoke(updateAlert, { id, body }, silentErrors());
    this.replace(alert);
    return alert;
  }

  /** Pause (false) or re-arm (true); errors go to the snackbar. */
  async setActive(id: string, active: boolean): Promise<AlertDto> {
    const alert = await this.api.invoke(updateAlert, { id, body: { active } });
    this.replace(alert);
    return alert;
  }

  async remove(id: string): Promise<void> {
    await this.api.invoke(deleteAlert, { id });
    this.items.update((items) => items.filter((a) => a.id !== id));
  }

  private replace(alert: AlertDto): void {
    this.items.update((items) => items.map((a) => (a.id === alert.id ? alert : a)));
  }
}
