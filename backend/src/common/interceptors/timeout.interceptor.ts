import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, TimeoutError, catchError, throwError, timeout } from 'rxjs';
import { AppConfig } from '../../config/config.service';
import { AppError } from '../errors/app-error';

/** Answers 503 instead of leaving a client hanging on a stuck dependency. */
@Injectable()
export class TimeoutInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return next.handle().pipe(
      timeout(this.config.values.requestTimeoutMs),
      catchError((e: unknown) =>
        throwError(() => (e instanceof TimeoutError ? new AppError(503, 'SERVICE_UNAVAILABLE', 'The request took too long; please retry', undefined, { 'Retry-After': '5' }) : e)),
      ),
    );
  }
}
