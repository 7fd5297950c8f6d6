import { ChangeDetectionStrategy, Component, computed, effect, input, signal } from '@angular/core';

/** QR code of the payment URI, drawn locally (the qrcode package is loaded with this feature only). */
@Component({
  selector: 'cv-deposit-qr',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (src(); as s) {
      <img [src]="s" [alt]="alt()" width="200" height="200" />
    }
  `,
  styles: `
    img {
      background: #fff;
      padding: 8px;
      border-radius: 8px;
    }
  `,
})
export class DepositQr {
  readonly value = input.required<string>();
  protected readonly src = signal<string | null>(null);
  protected readonly alt = computed(() => $localize`QR code for ${this.value()}:value:`);

  constructor() {
    effect(() => {
      const text = this.value();
      void import('qrcode')
        .then((qr) => qr.toDataURL(text, { width: 200, margin: 1 }))
        .then((url) => this.src.set(url))
        .catch(() => this.src.set(null));
    });
  }
}
