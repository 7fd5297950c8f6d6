import { WhenPipe } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, OnInit, inject, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FormErrors } from '../auth/form-errors';
import { AdminAuditStore } from './admin-audit.store';

/** `datetime-local` (the admin's local time) → ISO instant; empty stays empty. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

@Component({
  selector: 'cv-admin-audit-page',
  imports: [FormsModule, WhenPipe, MatButtonModule, MatFormFieldModule, MatInputModule],
  providers: [AdminAuditStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="filters" (ngSubmit)="apply()">
      <mat-form-field>
        <mat-label i18n>User id</mat-label>
        <input matInput name="userId" autocomplete="off" [(ngModel)]="filterUserId" />
        @if (errors.fields()['userId']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
      </mat-form-field>
      <mat-form-field>
        <mat-label i18n>Action</mat-label>
        <input matInput name="action" autocomplete="off" [(ngModel)]="action" />
        @if (errors.fields()['action']; as m) {
          <mat-hint class="error-text">{{ m }}</mat-hint>
        } @else {
          <mat-hint i18n>Exact, or a prefix ending in "." (auth.)</mat-hint>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label i18n>From</mat-label>
        <input matInput type="datetime-local" name="from" [(ngModel)]="from" />
        @if (errors.fields()['from']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
      </mat-form-field>
      <mat-form-field>
        <mat-label i18n>Before</mat-label>
        <input matInput type="datetime-local" name="to" [(ngModel)]="to" />
        @if (errors.fields()['to']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
      </mat-form-field>
      <div class="buttons">
        <button i18n mat-flat-button type="submit">Apply filters</button>
        <button i18n mat-button type="button" (click)="reset()">Clear filters</button>
      </div>
    </form>
    @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
    @if (store.entries(); as entries) {
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr><th i18n>Time</th><th i18n>Action</th><th i18n>User</th><th i18n>Actor</th><th i18n>IP</th><th i18n>Details</th></tr>
          </thead>
          <tbody>
            @for (e of entries; track e.id) {
              <tr>
                <td class="time">{{ e.createdAt | when }}</td>
                <td><code>{{ e.action }}</code></td>
                <!-- People read emails; the id is on hover (and filters by the user from the users list). -->
                <td>@if (e.userId) { <span [title]="e.userId">{{ e.userEmail ?? deletedAccount }}</span> } @else { — }</td>
                <td>@if (e.actorId) { <span [title]="e.actorId">{{ e.actorEmail ?? deletedAccount }}</span> } @else { — }</td>
                <td>{{ e.ip ?? '—' }}</td>
                <td class="details">
                  @for (d of detailsOf(e.details); track d.key) {
                    <span class="kv"><span class="muted">{{ d.key }}:</span> {{ d.value }}</span>
                  }
                </td>
              </tr>
            } @empty {
              <tr><td i18n colspan="6" class="muted">No audit entries match.</td></tr>
            }
          </tbody>
        </table>
      </div>
      @if (store.cursor()) {
        <button i18n mat-button type="button" (click)="more()">Load older entries</button>
      }
    } @else {
      <p i18n class="muted">Loading…</p>
    }
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: baseline;
    }
    .buttons {
      display: flex;
      gap: 8px;
    }
    .time {
      white-space: nowrap;
    }
    .id {
      font-size: 0.85em;
      word-break: break-all;
    }
    .details {
      font-size: 0.85em;
      word-break: break-word;
    }
    .kv {
      display: inline-block;
      margin-right: 12px;
    }
  `,
})
export class AdminAuditPage implements OnInit {
  protected readonly store = inject(AdminAuditStore);
  /** `?userId=` (from the users list). */
  readonly userId = input<string>();
  protected readonly errors = new FormErrors();
  protected readonly deletedAccount = $localize`:Shown instead of the email of an account that no longer exists:deleted account`;
  protected filterUserId = '';
  protected action = '';
  protected from = '';
  protected to = '';

  ngOnInit(): void {
    this.filterUserId = this.userId() ?? '';
    void this.apply();
  }

  protected async apply(): Promise<void> {
    this.errors.clear();
    try {
      await this.store.load({ userId: this.filterUserId.trim(), action: this.action.trim(), from: toIso(this.from), to: toIso(this.to) });
    } catch (err) {
      this.errors.set(err);
    }
  }

  protected reset(): Promise<void> {
    this.filterUserId = this.action = this.from = this.to = '';
    return this.apply();
  }

  /** Details as `key: value` pairs on one line each (nested values as compact JSON). */
  protected detailsOf(details: Record<string, unknown>): { key: string; value: string }[] {
    return Object.entries(details ?? {}).map(([key, v]) => ({ key, value: typeof v === 'string' ? v : JSON.stringify(v) }));
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }
}
