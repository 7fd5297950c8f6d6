import { EnvironmentInjector, Injectable, inject } from '@angular/core';
import type { MatSnackBarConfig, MatSnackBarRef, TextOnlySnackBar } from '@angular/material/snack-bar';

/**
 * Material's snackbar, loaded on the first message: an error or a realtime
 * event is never part of the first screen, so its code (and the overlay's)
 * stays out of the start-up bundle.
 */
@Injectable({ providedIn: 'root' })
export class Toasts {
  private readonly injector = inject(EnvironmentInjector);

  async open(message: string, action: string, config: MatSnackBarConfig): Promise<MatSnackBarRef<TextOnlySnackBar>> {
    const { MatSnackBar } = await import('@angular/material/snack-bar');
    return this.injector.get(MatSnackBar).open(message, action, config);
  }
}
