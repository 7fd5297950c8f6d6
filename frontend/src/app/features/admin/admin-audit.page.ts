import { WhenPipe } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, OnInit, inject, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FormErrors } from '../auth/form-errors';
import { AdminAuditStore } from './admin-audit.store';
import { breakPoints } from '../../core/ui/break-points';
import type { AuditLogDto } from '../../api/models';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One `key: value` of an entry's details; `id`, when set, is the whole id the value stands for (shown on hover). */
interface Detail {
  key: string;
  value: string;
  id?: string;
}

/** `datetime-local` (the admin's local time) → ISO instant; empty stays empty. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

@Component({
  selector: 'cv-admin-audit-page',
  imports: [Skeleton, CardTable, FormsModule, WhenPipe, MatButtonModule, MatFormFieldModule, MatInputModule],
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
                <td>@if (e.userId) { <span class="who" [title]="e.userId">@for (part of breakPoints(e.userEmail ?? deletedAccount); track $index) {<wbr />{{ part }}}</span> } @else { — }</td>
                <td>@if (e.actorId) { <span class="who" [title]="e.actorId">@for (part of breakPoints(e.actorEmail ?? deletedAccount); track $index) {<wbr />{{ part }}}</span> } @else { — }</td>
                <td>{{ e.ip ?? '—' }}</td>
                <td class="details">
                  @for (d of detailsOf(e); track d.key) {
                    <span class="kv"><span class="muted">{{ d.key }}: </span>@if (d.id) { <span [title]="d.id">{{ d.value }}</span> } @else { {{ d.value }} }</span>
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
      <cv-skeleton [count]="10" />
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
    /* A long email breaks (at its dots and before the @ where it can) rather than widen the table past its box. */
    .who {
      overflow-wrap: anywhere;
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
  protected readonly breakPoints = breakPoints;
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

  /**
   * Details as `key: value` pairs, nested objects by their path (`query.userId`). People read emails, not ids: an id
   * naming an account (the entry's `accounts`) shows its email, any other id (a withdrawal's, a session's, a deleted
   * account's) its first 8 characters; the whole id is on hover. Other values as they are (lists and the like as JSON).
   */
  protected detailsOf(entry: AuditLogDto): Detail[] {
    const emails = new Map((entry.accounts ?? []).map((a) => [a.id.toLowerCase(), a.email]));
    const idText = (id: string): string => emails.get(id.toLowerCase()) ?? `${id.slice(0, 8)}…`;
    const out: Detail[] = [];
    const add = (key: string, v: unknown, depth: number): void => {
      if (v && typeof v === 'object' && !Array.isArray(v) && depth < 3 && Object.keys(v).length) {
        for (const [k, x] of Object.entries(v)) add(`${key}.${k}`, x, depth + 1);
      } else if (typeof v === 'string' && UUID.test(v)) {
        out.push({ key, value: idText(v), id: v });
      } else if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' && UUID.test(x))) {
        out.push({ key, value: v.map(idText).join(', '), id: v.join(', ') });
      } else {
        out.push({ key, value: typeof v === 'string' ? v : JSON.stringify(v) });
      }
    };
    for (const [key, v] of Object.entries(entry.details ?? {})) add(key, v, 1);
    return out;
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }
}
