import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Api } from '../../../api/api';
import { createWebhook } from '../../../api/fn/webhooks/create-webhook';
import { deleteWebhook } from '../../../api/fn/webhooks/delete-webhook';
import { listWebhookDeliveries } from '../../../api/fn/webhooks/list-webhook-deliveries';
import { listWebhooks } from '../../../api/fn/webhooks/list-webhooks';
import { redeliverWebhookEvent } from '../../../api/fn/webhooks/redeliver-webhook-event';
import type { WebhookDeliveryAttemptDto, WebhookDeliveryStatus, WebhookEndpointDto, WebhookEventType } from '../../../api/models';
import { silentErrors } from '../../../core/http/http-context';
import { WhenPipe } from '../../../core/ui/format.pipes';
import { Skeleton } from '../../../core/ui/skeleton';
import { FormErrors } from '../../auth/form-errors';

const EVENT_TYPES: WebhookEventType[] = ['order.filled', 'order.cancelled', 'deposit.credited', 'withdrawal.updated', 'alert.triggered'];
/** Attempts a page of the delivery log holds ("Show older attempts" adds the next). */
const LOG_PAGE = 50;

/**
 * The webhooks of one API key (Settings → API keys): its endpoints, adding one (URL and events; the signing secret is
 * shown once, with a copy button), deleting one, and each endpoint's delivery log with the status every attempt got
 * and a Redeliver button per event. Adding needs a step-up (the step-up interceptor asks for it and retries).
 */
@Component({
  selector: 'cv-webhooks-panel',
  imports: [FormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, WhenPipe, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="webhooks" [attr.aria-labelledby]="'webhooks-title-' + keyId()" data-testid="webhooks-panel">
      <h3 class="title" [id]="'webhooks-title-' + keyId()" i18n>Webhooks</h3>
      <p i18n class="muted small">
        We send signed events about your account (orders, deposits, withdrawals, alerts) to these URLs as they happen. Check the
        CryptoVault-Signature header with the endpoint's secret; see the API documentation.
      </p>

      @if (created(); as c) {
        <div class="secret" role="alert" data-testid="webhook-secret">
          <p i18n class="strong">Save the signing secret now: it is shown only this once.</p>
          <code class="block">{{ c.secret }}</code>
          <div class="actions">
            <button i18n mat-stroked-button type="button" (click)="copy(c.secret)">Copy secret</button>
            <button i18n mat-flat-button type="button" (click)="created.set(null)">I have saved it</button>
          </div>
          @if (note(); as n) {
            <p role="status">{{ n }}</p>
          }
        </div>
      }

      @if (endpoints(); as list) {
        <ul class="endpoints" aria-label="Webhook endpoints" i18n-aria-label>
          @for (w of list; track w.id) {
            <li data-testid="webhook-item">
              <div class="url">{{ w.url }}</div>
              <div class="muted small">{{ eventsLabel(w.events) }}</div>
              <div i18n class="muted small">Added {{ w.createdAt | when // i18n(ph="added") }}</div>
              <div class="actions">
                <button mat-stroked-button type="button" [attr.aria-expanded]="openLog() === w.id" (click)="toggleLog(w)">
                  @if (openLog() === w.id) {
                    <span i18n>Hide deliveries</span>
                  } @else {
                    <span i18n>Deliveries</span>
                  }
                </button>
                @if (confirming() === w.id) {
                  <span i18n>Delete this endpoint? Nothing more is sent to it.</span>
                  <button i18n mat-flat-button type="button" [disabled]="busy()" (click)="remove(w)">Delete</button>
                  <button i18n mat-button type="button" (click)="confirming.set(null)">Cancel</button>
                } @else {
                  <button i18n mat-button type="button" [attr.aria-label]="deleteLabel(w)" (click)="confirming.set(w.id)">Delete</button>
                }
              </div>
              @if (openLog() === w.id) {
                <div class="log">
                  @if (log(); as attempts) {
                    <ul aria-label="Delivery log" i18n-aria-label>
                      @for (a of attempts; track a.eventId + ':' + a.attempt) {
                        <li data-testid="webhook-delivery">
                          <div class="line">
                            <strong>{{ eventLabel(a.type) }}</strong>
                            <span class="badge" [class.ok]="a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300">{{ outcome(a) }}</span>
                          </div>
                          <div i18n class="muted small">
                            Attempt {{ a.attempt // i18n(ph="attempt") }} · {{ a.attemptedAt | when // i18n(ph="at") }} ·
                            {{ deliveryLabel(a.deliveryStatus) // i18n(ph="status") }}
                          </div>
                          @if (a.nextRetryAt && a.deliveryStatus === 'pending') {
                            <div i18n class="muted small">Next try {{ a.nextRetryAt | when // i18n(ph="next") }}</div>
                          }
                          <div class="muted small id">{{ a.eventId }}</div>
                          @if (newestOf(a)) {
                            <button
                              i18n
                              mat-stroked-button
                              type="button"
                              [disabled]="busy()"
                              [attr.aria-label]="redeliverLabel(a)"
                              (click)="redeliver(w, a)"
                            >
                              Redeliver
                            </button>
                          }
                        </li>
                      } @empty {
                        <li i18n class="muted">Nothing sent yet.</li>
                      }
                    </ul>
                    @if (logCursor()) {
                      <button i18n mat-stroked-button type="button" [disabled]="loadingOlder()" (click)="loadOlder(w)">Show older attempts</button>
                    }
                    <button i18n mat-button type="button" (click)="loadLog(w)">Refresh</button>
                  } @else {
                    <cv-skeleton shape="lines" [count]="2" />
                  }
                </div>
              }
            </li>
          } @empty {
            <li i18n class="muted" data-testid="webhooks-empty">No webhooks yet.</li>
          }
        </ul>
        @if (rowErrors.message(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
        @if (done(); as m) {
          <p role="status">{{ m }}</p>
        }

        @if (active() && list.length < max()) {
          <form class="form" (ngSubmit)="add()">
            <mat-form-field>
              <mat-label i18n>Endpoint URL</mat-label>
              <input matInput name="webhookUrl" type="url" maxlength="2048" autocomplete="off" [(ngModel)]="url" />
              @if (errors.fields()['url']; as m) {
                <mat-hint class="error-text">{{ m }}</mat-hint>
              } @else {
                <mat-hint i18n>An https URL of your server, e.g. https://bot.example.com/hooks</mat-hint>
              }
            </mat-form-field>
            <fieldset>
              <legend i18n>Events to send</legend>
              @for (t of types; track t) {
                <mat-checkbox [name]="'event-' + t" [(ngModel)]="chosen[t]">{{ eventLabel(t) }}</mat-checkbox>
              }
              @if (errors.fields()['events']; as m) {
                <p class="error-text small">{{ m }}</p>
              }
            </fieldset>
            @if (errors.message(); as m) {
              <p class="error-text" role="alert">{{ m }}</p>
            }
            <div><button i18n mat-flat-button type="submit" [disabled]="busy()">Add webhook</button></div>
          </form>
        }
      } @else {
        <cv-skeleton shape="lines" [count]="2" />
      }
    </section>
  `,
  styleUrl: './key-forms.scss',
  styles: `
    .webhooks {
      margin-top: 12px;
      padding: 12px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container-low);
    }
    .title {
      font: var(--mat-sys-title-small);
      margin: 0 0 4px;
    }
    .strong {
      font-weight: 600;
    }
    .endpoints,
    .log ul {
      list-style: none;
      padding: 0;
      margin: 8px 0;
    }
    .endpoints > li,
    .log li {
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      overflow-wrap: anywhere;
    }
    .url {
      font-family: monospace;
    }
    .log {
      margin-top: 8px;
      padding-left: 12px;
      border-left: 2px solid var(--mat-sys-outline-variant);
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
    }
    .badge {
      font: var(--mat-sys-label-small);
      padding: 2px 8px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .badge.ok {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .secret {
      margin-bottom: 8px;
    }
  `,
})
export class WebhooksPanel implements OnInit {
  private readonly api = inject(Api);
  /** The API key whose webhooks these are. */
  readonly keyId = input.required<string>();
  /** Whether the key is active: only then can endpoints be added (a revoked key's receive nothing). */
  readonly active = input(true);
  protected readonly types = EVENT_TYPES;
  protected readonly endpoints = signal<WebhookEndpointDto[] | null>(null);
  protected readonly max = signal(5);
  protected readonly created = signal<{ secret: string } | null>(null);
  protected readonly openLog = signal<string | null>(null);
  protected readonly log = signal<WebhookDeliveryAttemptDto[] | null>(null);
  /** Where the open log's next (older) page starts; null when the oldest attempt is shown. */
  protected readonly logCursor = signal<string | null>(null);
  protected readonly loadingOlder = signal(false);
  protected readonly confirming = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly done = signal<string | null>(null);
  protected readonly note = signal<string | null>(null);
  protected readonly errors = new FormErrors(['url', 'events']);
  protected readonly rowErrors = new FormErrors();
  protected url = '';
  protected chosen: Record<WebhookEventType, boolean> = this.allChosen();

  async ngOnInit(): Promise<void> {
    await this.reload();
  }

  protected eventLabel(t: WebhookEventType): string {
    switch (t) {
      case 'order.filled':
        return $localize`Order filled`;
      case 'order.cancelled':
        return $localize`Order cancelled`;
      case 'deposit.credited':
        return $localize`Deposit credited`;
      case 'withdrawal.updated':
        return $localize`Withdrawal updated`;
      case 'alert.triggered':
        return $localize`Alert triggered`;
    }
  }

  protected eventsLabel(events: WebhookEventType[]): string {
    return $localize`Sends: ${events.map((e) => this.eventLabel(e)).join(', ')}:events:`;
  }

  /** What an attempt got: the HTTP status (a redirect is never followed), or why no answer came. */
  protected outcome(a: WebhookDeliveryAttemptDto): string {
    if (a.statusCode !== null) {
      if (a.statusCode >= 300 && a.statusCode < 400) return $localize`HTTP ${a.statusCode}:code: (redirects are not followed)`;
      return $localize`HTTP ${a.statusCode}:code:`;
    }
    switch (a.error) {
      case 'timeout':
        return $localize`No answer within 10 seconds`;
      case 'dns_failed':
        return $localize`Host name not found`;
      case 'tls_failed':
        return $localize`TLS certificate error`;
      case 'address_not_allowed':
        return $localize`Refused: not a public address`;
      case 'secret_unreadable':
        return $localize`Secret unreadable: add the endpoint again`;
      default:
        return $localize`Could not connect`;
    }
  }

  protected deliveryLabel(s: WebhookDeliveryStatus): string {
    switch (s) {
      case 'delivered':
        return $localize`delivered`;
      case 'pending':
        return $localize`will be retried`;
      case 'failed':
        return $localize`failed for good`;
      case 'stopped':
        return $localize`stopped: the key is no longer active`;
    }
  }

  /** The newest attempt shown for its event: where its Redeliver button goes (the log is newest first). */
  protected newestOf(a: WebhookDeliveryAttemptDto): boolean {
    return this.active() && this.log()?.find((x) => x.eventId === a.eventId) === a;
  }

  protected deleteLabel(w: WebhookEndpointDto): string {
    return $localize`Delete webhook ${w.url}:url:`;
  }

  protected redeliverLabel(a: WebhookDeliveryAttemptDto): string {
    return $localize`Redeliver event ${a.eventId}:event:`;
  }

  protected async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.note.set($localize`Copied to the clipboard.`);
    } catch {
      this.note.set($localize`The browser did not allow copying: select the text and copy it.`);
    }
  }

  protected async add(): Promise<void> {
    this.errors.clear();
    this.done.set(null);
    const url = this.url.trim();
    const events = EVENT_TYPES.filter((t) => this.chosen[t]);
    if (!url) this.errors.setField('url', $localize`Enter the URL of your server`);
    else if (!events.length) this.errors.setField('events', $localize`Choose at least one event`);
    if (!url || !events.length) return;
    this.busy.set(true);
    try {
      const res = await this.api.invoke(createWebhook, { keyId: this.keyId(), body: { url, events } }, silentErrors());
      this.created.set({ secret: res.secret });
      this.note.set(null);
      this.url = '';
      this.chosen = this.allChosen();
      await this.reload();
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(w: WebhookEndpointDto): Promise<void> {
    this.rowErrors.clear();
    this.busy.set(true);
    try {
      await this.api.invoke(deleteWebhook, { keyId: this.keyId(), webhookId: w.id }, silentErrors());
      this.confirming.set(null);
      if (this.openLog() === w.id) this.openLog.set(null);
      this.done.set($localize`Webhook deleted.`);
      await this.reload();
    } catch (err) {
      this.rowErrors.set(err);
    } finally {
      this.busy.set(false);
    }
  }

  protected async toggleLog(w: WebhookEndpointDto): Promise<void> {
    if (this.openLog() === w.id) {
      this.openLog.set(null);
      return;
    }
    this.openLog.set(w.id);
    await this.loadLog(w);
  }

  protected async loadLog(w: WebhookEndpointDto): Promise<void> {
    this.log.set(null);
    this.logCursor.set(null);
    this.rowErrors.clear();
    try {
      const res = await this.api.invoke(listWebhookDeliveries, { keyId: this.keyId(), webhookId: w.id, limit: LOG_PAGE }, silentErrors());
      this.log.set(res.items);
      this.logCursor.set(res.nextCursor);
    } catch (err) {
      this.log.set([]);
      this.rowErrors.set(err);
    }
  }

  /** The next page of the open log, older than what is shown, added below it. */
  protected async loadOlder(w: WebhookEndpointDto): Promise<void> {
    const cursor = this.logCursor();
    if (!cursor || this.loadingOlder()) return;
    this.rowErrors.clear();
    this.loadingOlder.set(true);
    try {
      const res = await this.api.invoke(listWebhookDeliveries, { keyId: this.keyId(), webhookId: w.id, limit: LOG_PAGE, cursor }, silentErrors());
      // The log was refreshed or closed meanwhile: this page belongs to a list no longer shown.
      if (this.openLog() !== w.id || this.logCursor() !== cursor) return;
      this.log.update((shown) => [...(shown ?? []), ...res.items]);
      this.logCursor.set(res.nextCursor);
    } catch (err) {
      this.rowErrors.set(err);
    } finally {
      this.loadingOlder.set(false);
    }
  }

  protected async redeliver(w: WebhookEndpointDto, a: WebhookDeliveryAttemptDto): Promise<void> {
    this.rowErrors.clear();
    this.busy.set(true);
    try {
      await this.api.invoke(redeliverWebhookEvent, { keyId: this.keyId(), webhookId: w.id, eventId: a.eventId }, silentErrors());
      this.done.set($localize`Queued: the event is sent again in a moment, with the same event id. Refresh to see it.`);
    } catch (err) {
      this.rowErrors.set(err);
    } finally {
      this.busy.set(false);
    }
  }

  private allChosen(): Record<WebhookEventType, boolean> {
    return Object.fromEntries(EVENT_TYPES.map((t) => [t, true])) as Record<WebhookEventType, boolean>;
  }

  private async reload(): Promise<void> {
    const res = await this.api.invoke(listWebhooks, { keyId: this.keyId() });
    this.max.set(res.max);
    this.endpoints.set(res.items);
  }
}
