import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

const FILE_NAME = 'cryptovault-backup-codes.txt';

/** Freshly issued backup codes: shown this once, with copy and download. */
@Component({
  selector: 'cv-backup-codes',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="codes" aria-labelledby="backup-codes-title">
      <h3 i18n id="backup-codes-title">Your backup codes</h3>
      <p i18n>
        Each code signs you in once if you lose your authenticator. They are shown only now: copy or download them and keep
        them somewhere safe.
      </p>
      <ol data-testid="backup-codes">
        @for (c of codes(); track c) {
          <li><code>{{ c }}</code></li>
        }
      </ol>
      <div class="actions">
        <button i18n mat-stroked-button type="button" (click)="copy()">Copy codes</button>
        <button i18n mat-stroked-button type="button" (click)="download()">Download codes</button>
        <button i18n mat-flat-button type="button" (click)="done.emit()">I have saved my codes</button>
      </div>
      <p class="muted" role="status">{{ note() }}</p>
    </section>
  `,
  styles: `
    .codes {
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      max-width: 560px;
    }
    ol {
      display: grid;
      grid-template-columns: repeat(2, max-content);
      gap: 4px 32px;
      font-size: 1.05em;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class BackupCodes {
  readonly codes = input.required<string[]>();
  readonly done = output<void>();
  protected readonly note = signal('');

  private text(): string {
    const heading = $localize`CryptoVault backup codes (each works once)`;
    return `${heading}\n\n${this.codes().join('\n')}\n`;
  }

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.text());
      this.note.set($localize`Copied to the clipboard.`);
    } catch {
      this.note.set($localize`The browser did not allow copying: select the codes and copy them, or download them.`);
    }
  }

  protected download(): void {
    const url = URL.createObjectURL(new Blob([this.text()], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = FILE_NAME;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    this.note.set($localize`Downloaded ${FILE_NAME}:fileName:.`);
  }
}
