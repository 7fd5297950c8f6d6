import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MoveTrackedLotDtoConstraints } from '../../api/constraints';
import type { TrackedLotDto } from '../../api/models';
import { SCHEMA_FIELDS, fieldRule, readyToSend } from '../../core/forms/schema-validation';
import { DisplayFormat, QtyPipe, WhenPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { acquiredAtOf, acquiredDayProblem, dayInput, dayOf } from './acquired-date';
import { DashboardStore } from './dashboard.store';

/**
 * The dated lots of the tracked holdings (each addition: how much, when acquired), oldest first, each date changeable:
 * the performance history counts a lot from its date. A holding recorded before lots were dated shows its rest
 * without a change button (the API cannot move it).
 */
@Component({
  selector: 'cv-tracked-lots',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatFormFieldModule, MatInputModule, QtyPipe, WhenPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.trackedLots(); as lots) {
      @if (lots.length) {
        <div class="lots">
          <h3 i18n id="tracked-lots-title">Tracked lots</h3>
          <ul aria-labelledby="tracked-lots-title">
            @for (lot of lots; track lot.id ?? lot.symbol + lot.acquiredAt) {
              <li>
                @if (editing() === lot.id && lot.id) {
                  <form #f="ngForm" (ngSubmit)="save(f, lot)" class="edit">
                    <span class="what">{{ lot.quantity | qty: lot.symbol }}</span>
                    <mat-form-field subscriptSizing="dynamic">
                      <mat-label i18n>Acquired on</mat-label>
                      <input matInput type="date" name="acquiredAt" required min="2009-01-01" [max]="today()" #dayModel="ngModel"
                        [cvField]="rule" [cvFieldCheck]="check" [cvServerError]="errors.fields()['acquiredAt']" [(ngModel)]="day" />
                      <mat-error>{{ dayModel.errors | fieldError }}</mat-error>
                    </mat-form-field>
                    <span class="buttons">
                      <button i18n mat-flat-button type="submit" [disabled]="busy()">Save date</button>
                      <button i18n mat-button type="button" [disabled]="busy()" (click)="cancel()">Cancel</button>
                    </span>
                    @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
                  </form>
                } @else {
                  <!-- &ngsp;: Angular drops whitespace-only text, and readers need the gaps too. -->
                  <span class="what">{{ lot.quantity | qty: lot.symbol }}</span>&ngsp;<span i18n class="muted">Acquired on {{ lot.acquiredAt | when: 'date' }}</span>
                  @if (lot.id) {&ngsp;<button i18n mat-button type="button" [attr.aria-label]="changeLabel(lot)" (click)="edit(lot)">Change date</button>
                  }
                }
              </li>
            }
          </ul>
          @if (saved(); as s) { <p role="status">{{ s }}</p> }
        </div>
      }
    }
  `,
  styles: `
    .lots h3 {
      margin: 16px 0 4px;
      font: var(--mat-sys-title-small);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      padding: 4px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .edit {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      width: 100%;
    }
    .edit mat-form-field {
      min-width: 160px;
      max-width: 100%;
    }
    .what {
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class TrackedLots {
  protected readonly store = inject(DashboardStore);
  private readonly format = inject(DisplayFormat);

  protected readonly editing = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly saved = signal<string | null>(null);
  protected readonly today = signal(dayInput(new Date()));
  protected day = '';
  protected readonly errors = new FormErrors(['acquiredAt']);
  protected readonly rule = fieldRule(MoveTrackedLotDtoConstraints.acquiredAt, {
    label: $localize`:A field named in messages like "Enter a purchase date":a purchase date`,
  });
  protected readonly check = (day: string): string | null => acquiredDayProblem(day);

  protected changeLabel(lot: TrackedLotDto): string {
    return $localize`Change the date of ${this.format.quantity(lot.quantity, lot.symbol)}:quantity:`;
  }

  protected edit(lot: TrackedLotDto): void {
    this.saved.set(null);
    this.errors.clear();
    this.today.set(dayInput(new Date()));
    this.day = dayOf(lot.acquiredAt);
    this.editing.set(lot.id);
  }

  protected cancel(): void {
    this.editing.set(null);
  }

  protected async save(form: NgForm, lot: TrackedLotDto): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form) || !lot.id) return;
    const acquiredAt = acquiredAtOf(this.day);
    if (!acquiredAt) return;
    this.busy.set(true);
    try {
      await this.store.moveLot(lot.id, acquiredAt);
      this.editing.set(null);
      this.saved.set($localize`Date changed. Your performance counts it from then.`);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
