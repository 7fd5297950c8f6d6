import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { mergeMap, Observable } from 'rxjs';
import { AuditService } from '../audit/audit.service';
import type { AuthenticatedRequest } from '../common/auth/auth-user';

/**
 * Audits what an admin looked at: every successful GET of the back office is
 * recorded as `admin.viewed` with the route and the query. Changes are
 * audited by their services, with what changed.
 */
@Injectable()
export class AdminReadAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (req.method !== 'GET') return next.handle();
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        await this.audit.record({
          action: 'admin.viewed',
          actorId: req.user?.id ?? null,
          details: { route, query: { ...(req.query as Record<string, unknown>) } },
        });
        return body;
      }),
    );
  }
}
