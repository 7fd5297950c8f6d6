import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { forbidden, unauthenticated } from '../common/errors/app-error';
import { isLoopback, socketAddress } from '../common/http/client-ip';
import { AppConfig } from '../config/config.service';

/** Headers a proxy adds when it relays a request for a client. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host'];

function isForwarded(req: Request): boolean {
  return FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Who may scrape /metrics (API.md: "token or internal"):
 * - METRICS_TOKEN set: only `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise);
 * - unset: only callers on loopback (403 otherwise), decided from the socket's
 *   peer address alone, never from a forwarding header, whatever TRUST_PROXY says
 *   (with TRUST_PROXY set, `req.ip` is what X-Forwarded-For says, so
 *   `X-Forwarded-For: 127.0.0.1` used to open /metrics). A request that carries a
 *   forwarding header was relayed by a proxy for someone else, so it is not
 *   internal even when that proxy runs on loopback (nginx on the same host).
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly token?: Buffer;

  constructor(config: AppConfig) {
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
    if (!isLoopback(socketAddress(req)) || isForwarded(req))
      throw forbidden('FORBIDDEN', 'Metrics are served to loopback callers only while METRICS_TOKEN is unset');
    return true;
  }
}
