import { EnvironmentInjector, Injectable, inject } from '@angular/core';

/**
 * Opens the step-up dialog, one at a time: requests that need it meanwhile
 * share its answer. The dialog (with Material's dialog, form fields and
 * forms) is loaded the first time it is needed: most visits never step up, and
 * the first screen does not wait for it.
 */
@Injectable({ providedIn: 'root' })
export class StepUpPrompt {
  private readonly injector = inject(EnvironmentInjector);
  private pending: Promise<boolean> | null = null;

  /** True once this session is stepped up; false when the user cancelled. */
  ask(): Promise<boolean> {
    this.pending ??= this.open().finally(() => (this.pending = null));
    return this.pending;
  }

  private async open(): Promise<boolean> {
    const { openStepUpDialog } = await import('./step-up-dialog');
    return openStepUpDialog(this.injector);
  }
}
