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

  set(err: unknown): ApiError {
    const e = ApiError.from(err);
    this.fields.set(e.fieldErrors);
    this.message.set(e.message);
    return e;
  }
}
