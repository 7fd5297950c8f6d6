import { signal } from '@angular/core';
import { ApiError } from '../../core/http/api-error';

/** The error of the last submit: a general message and messages per field (`details[].field`). */
export class FormErrors {
  readonly message = signal<string | null>(null);
  readonly fields = signal<Record<string, string>>({});

  /**
   * `shown`: the fields the form shows messages on. A refusal about those fields is told there only (the API's
   * message for a single field is that field's message: shown twice otherwise); what it says about other fields
   * stays the general message. Without it, the general message is always kept.
   */
  constructor(private readonly shown?: readonly string[]) {}

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
      this.message.set(this.shown && e.details.length ? this.elsewhere(e) : e.message);
    }
    return e;
  }

  /** What a refusal with details says beyond the fields the form shows: its message, or theirs, or nothing. */
  private elsewhere(e: ApiError): string | null {
    const rest = e.details.filter((d) => !d.field || !this.shown?.includes(d.field));
    if (!rest.length) return null;
    return rest.length === e.details.length ? e.message : rest.map((d) => d.message).join(' ');
  }

  /** A client-side check that failed before anything was sent. */
  setField(field: string, message: string): void {
    this.fields.set({ [field]: message });
    this.message.set(null);
  }
}
