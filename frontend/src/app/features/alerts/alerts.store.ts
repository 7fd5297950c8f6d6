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

const PAGE = 50;

/** The user's price alerts; refreshes when /ws/user reports one fired. */
@Injectable()
export class AlertsStore {
  private readonly api = inject(Api);
  private readonly pages = new CursorPages<AlertDto>((cursor) =>
    this.api.invoke(listAlerts, { limit: PAGE, cursor }),
  );
  readonly items = this.pages.items;
  readonly nextCursor = this.pages.nextCursor;
  readonly loading = this.pages.loading;

  constructor() {
    whenBumped(
      inject(UserEventsStore).alertsChanged,
      () => void this.load().catch(() => undefined),
    );
  }

  load(): Promise<void> {
    return this.pages.reload();
  }

  loadMore(): Promise<void> {
    return this.pages.more();
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
