import { HttpClient, HttpContext, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { filter, map, take } from 'rxjs';
import { Api, type ApiFnOptional, type ApiFnRequired } from '../../api/api';

/**
 * `Api.invoke` for the data a server-rendered page was rendered with: the body is returned as it is, not in a promise,
 * when the answer is already in hand. While the app takes over a page the server rendered, Angular's HTTP transfer
 * cache answers the render's own GET requests at once (from the page's `ng-state`); a store that applies such an answer
 * in the same turn gives the page's first render in the browser the server's data, so hydration takes the rendered rows
 * over. Through `Api.invoke` the answer would arrive a microtask later: the first render would be the loading state, and
 * the server's rows would be thrown away and built again (most of the page's start on a slow phone). Any other answer
 * (from the network) comes as a promise, as from `Api.invoke`.
 *
 *     const answer = this.apiNow.invoke(listCryptocurrencies, {});
 *     const res = answer instanceof Promise ? await answer : answer; // no await, no turn, when it was in hand
 */
@Injectable({ providedIn: 'root' })
export class ApiNow {
  private readonly api = inject(Api);
  private readonly http = inject(HttpClient);

  invoke<P, R>(fn: ApiFnRequired<P, R>, params: P, context?: HttpContext): R | Promise<R>;
  invoke<P, R>(fn: ApiFnOptional<P, R>, params?: P, context?: HttpContext): R | Promise<R>;
  invoke<P, R>(fn: ApiFnRequired<P, R> | ApiFnOptional<P, R>, params: P, context?: HttpContext): R | Promise<R> {
    let now: { body: R } | undefined;
    const later = new Promise<R>((resolve, reject) => {
      fn(this.http, this.api.rootUrl, params, context)
        .pipe(
          filter((r) => r instanceof HttpResponse),
          map((r) => r.body as R),
          take(1),
        )
        .subscribe({
          next: (body) => {
            now = { body };
            resolve(body);
          },
          error: reject,
          complete: () => reject(new Error('no response')),
        });
    });
    // Not awaited when answered at once: its rejection (there is none then) must not go unhandled either.
    if (now) {
      later.catch(() => undefined);
      return now.body;
    }
    return later;
  }
}
