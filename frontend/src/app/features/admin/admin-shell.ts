import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

const SECTIONS = [
  { path: 'overview', label: $localize`:Admin section tab:Overview` },
  { path: 'users', label: $localize`:Admin section tab:Users` },
  { path: 'withdrawals', label: $localize`:Admin section tab:Withdrawals` },
  { path: 'audit', label: $localize`:Admin section tab:Audit log` },
  { path: 'ledger', label: $localize`:Admin section tab:Ledger adjustment` },
  { path: 'reconciliation', label: $localize`:Admin section tab:Reconciliation` },
];

@Component({
  selector: 'cv-admin-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatTabsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1 i18n>Admin</h1>
      <nav mat-tab-nav-bar [tabPanel]="panel" aria-label="Admin sections" i18n-aria-label>
        @for (s of sections; track s.path) {
          <a mat-tab-link [routerLink]="s.path" routerLinkActive #rla="routerLinkActive" [active]="rla.isActive">{{ s.label }}</a>
        }
      </nav>
      <mat-tab-nav-panel #panel>
        <router-outlet />
      </mat-tab-nav-panel>
    </div>
  `,
  styles: `
    nav {
      margin-bottom: 16px;
    }
  `,
})
export class AdminShell {
  protected readonly sections = SECTIONS;
}
