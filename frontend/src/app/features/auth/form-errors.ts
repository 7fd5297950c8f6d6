import { signal } from '@angular/core';
import { ApiError } from '../../core/http/api-error';

/** The error of the last submit: a general message and messages per field (`details[].field`). */
export class FormErrors {
  readonly message = signal<string | null>(null);
  readonly fields = signal<Record<string, string>>({});

  clear(): void {
    this.message.set(null);
    this.fields.set({});
  }

  /**
   * `codeFields` puts errors without details on a field by their code
   * (e.g. `{ TWO_FACTOR_INVALID: 'code' }`), so the message shows where the user typed.
   */
  set(err: unknown, codeFields: Record<string, string> = {}): ApiError {
    const e = ApiError.from(err);
    const field = codeFields[e.code];
    if (field && !e.details.length) {
      this.fields.set({ [field]: e.message });
      this.message.set(null);
    } else {
      this.fields.set(e.fieldErrors);
      this.message.set(e.message);
    }
    return e;
  }

  /** A client-side check that failed before anything was sent. */
  setField(field: string, message: string): void {
    this.fields.set({ [field]: message });
    this.message.set(null);
  }
}
