import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { forbidden, unauthenticated } from '../common/errors/app-error';
import { AppConfig } from '../config/config.service';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Who may scrape /metrics (API.md: "token or internal"):
 * - METRICS_TOKEN set: only `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise);
 * - unset: only callers on loopback (403 otherwise). The address is `req.ip`,
 *   so behind a trusted proxy (TRUST_PROXY) it is the real client's; without
 *   TRUST_PROXY a request that was forwarded (X-Forwarded-For) is not "internal",
 *   since a local proxy would otherwise make every outside caller look local.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly token?: Buffer;

  constructor(private readonly config: AppConfig) {
    const token = config.values.metricsToken;
    if (token) this.token = digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (this.token) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
      if (!match || !timingSafeEqual(digest(match[1]), this.token)) throw unauthenticated('UNAUTHENTICATED', 'Send the metrics token as a Bearer header');
      return true;
    }
    const forwarded = req.headers['x-forwarded-for'] !== undefined && !this.config.values.trustProxy;
    if (forwarded || !LOOPBACK.test(req.ip ?? '')) throw forbidden('FORBIDDEN', 'Metrics are served to loopback callers only while METRICS_TOKEN is unset');
    return true;
  }
}
