import { ChangeDetectionStrategy, Component, computed, effect, input, signal } from '@angular/core';
import type * as QRCodeModule from 'qrcode';

/** Light modules around the code (the quiet zone readers need), in modules. */
const QUIET = 4;

/**
 * `qrcode`'s core, which computes the matrix (this page draws it itself, see DepositQr), loaded with this feature only:
 * not the package's entry, whose renderers this page never uses (and whose PNG one brings `pngjs`, CommonJS, into the
 * server build). It is CommonJS: a dynamic import gives a namespace whose functions sit on `default` (the bundler's
 * interop) or, in other loaders, on the namespace itself.
 */
export async function loadQrCode(): Promise<Pick<typeof QRCodeModule, 'create'>> {
  const mod = (await import('qrcode/lib/core/qrcode')) as Pick<typeof QRCodeModule, 'create'> & { default?: Pick<typeof QRCodeModule, 'create'> };
  return typeof mod.create === 'function' ? mod : mod.default!;
}

/** The dark modules of a QR matrix as one SVG path (a unit square each, offset by the quiet zone). */
export function qrPath(modules: { size: number; data: ArrayLike<number> }): string {
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.data[row * modules.size + col]) parts.push(`M${col + QUIET} ${row + QUIET}h1v1h-1z`);
    }
  }
  return parts.join('');
}

/**
 * QR code of the payment URI, drawn locally as SVG from the matrix `qrcode` computes (no canvas, no data URL for
 * the sanitizer to refuse), black on white with its quiet zone, so it scans in light and dark themes.
 */
@Component({
  selector: 'cv-deposit-qr',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (code(); as c) {
      <svg
        xmlns="http://www.w3.org/2000/svg"
        role="img"
        [attr.aria-label]="alt()"
        [attr.viewBox]="'0 0 ' + c.box + ' ' + c.box"
        width="200"
        height="200"
        data-testid="deposit-qr"
      >
        <rect [attr.width]="c.box" [attr.height]="c.box" fill="#fff" />
        <path [attr.d]="c.path" fill="#000" />
      </svg>
    }
  `,
  styles: `
    :host {
      display: block;
      line-height: 0;
    }
    svg {
      display: block;
      max-width: 100%;
      height: auto;
      border-radius: 8px;
      shape-rendering: crispEdges;
    }
  `,
})
export class DepositQr {
  readonly value = input.required<string>();
  protected readonly code = signal<{ path: string; box: number } | null>(null);
  protected readonly alt = computed(() => $localize`QR code for ${this.value()}:value:`);

  constructor() {
    effect(() => {
      const text = this.value();
      void loadQrCode()
        .then((qr) => {
          const { modules } = qr.create(text, { errorCorrectionLevel: 'M' });
          // A newer value may have been set meanwhile: draw only the one still asked for.
          if (this.value() === text) this.code.set({ path: qrPath(modules), box: modules.size + 2 * QUIET });
        })
        .catch(() => this.code.set(null));
    });
  }
}
