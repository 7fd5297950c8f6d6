import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { DISPLAY_CURRENCIES, type DisplayCurrency, activeRate, currencyFellBack, preferredCurrency, rememberCurrency } from '../../core/i18n/display-currency';
import { LANGUAGES, type Language, activeLanguage, preferredLanguage, rememberLanguage } from '../../core/i18n/language';
import { DisplayFormat } from '../../core/ui/format.pipes';

/**
 * Language and the currency valuations are shown in. Both apply from the next
 * start of the client (a language's text is set when a screen is first
 * built), so saving reloads the page; both are remembered in this browser.
 */
@Component({
  selector: 'cv-display-preferences',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="prefs" (ngSubmit)="save()">
      <mat-form-field>
        <mat-label i18n>Language</mat-label>
        <mat-select name="language" [ngModel]="language()" (ngModelChange)="language.set($event)">
          @for (l of languages; track l.code) {
            <mat-option [value]="l.code" [attr.lang]="l.tag">{{ l.name }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label i18n>Show values in</mat-label>
        <mat-select name="currency" [ngModel]="currency()" (ngModelChange)="currency.set($event)">
          @for (c of currencies; track c) {
            <mat-option [value]="c">{{ c }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <button mat-flat-button type="submit" [disabled]="!changed()" i18n>Save and reload</button>
    </form>
    @if (rate.currency !== 'USD') {
      <p class="muted small" data-testid="display-rate" i18n>
        Values are converted from US dollars at the {{ sourceName() }} of {{ rateDate() }}: 1 USD = {{ perUsd() }}. Balances, orders and fees
        stay in their own currency.
      </p>
    } @else if (fellBack) {
      <p class="error-text" role="status" i18n>No published rate for {{ wanted }} is available right now, so values are shown in US dollars.</p>
    }
  `,
  styles: `
    .prefs {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: baseline;
    }
  `,
})
export class DisplayPreferences {
  private readonly format = inject(DisplayFormat);
  protected readonly languages: readonly Language[] = LANGUAGES;
  protected readonly currencies = DISPLAY_CURRENCIES;
  protected readonly rate = activeRate();
  protected readonly fellBack = currencyFellBack();
  protected readonly wanted = preferredCurrency();
  protected readonly language = signal<Language['code']>(preferredLanguage().code);
  protected readonly currency = signal<DisplayCurrency>(preferredCurrency());

  protected changed(): boolean {
    return this.language() !== activeLanguage().code || this.currency() !== this.rate.currency;
  }

  protected sourceName(): string {
    return this.rate.source === 'sample' ? $localize`sample reference rate` : $localize`European Central Bank reference rate`;
  }

  protected rateDate(): string {
    return this.format.date(this.rate.date ? `${this.rate.date}T12:00:00Z` : null, 'date');
  }

  protected perUsd(): string {
    return this.format.money(this.rate.perUsd, this.rate.currency, 'price');
  }

  protected save(): void {
    rememberLanguage(this.language());
    rememberCurrency(this.currency());
    globalThis.location.reload();
  }
}
