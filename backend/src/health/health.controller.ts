import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/config.service';
import { CSRF_COOKIE } from '../common/guards/csrf.guard';
import { SkipRateLimit } from '../common/guards/rate-limit.guard';
import { ApiInfoDto, CsrfTokenDto, LivenessDto, ReadinessDto } from './dto/health.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly config: AppConfig,
  ) {}

  @Get('health')
  @SkipRateLimit()
  @ApiOkResponse({ type: LivenessDto })
  liveness(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('api/health')
  @SkipRateLimit()
  @ApiOkResponse({ type: ReadinessDto })
  @ApiResponse({ status: 503, type: ReadinessDto, description: 'The database is down' })
  async readiness(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const report = await this.health.readiness();
    if (report.status === 'down') res.status(503);
    return report;
  }

  @Get('api')
  @ApiOkResponse({ type: ApiInfoDto })
  apiInfo(): ApiInfoDto {
    return this.health.info();
  }

  @Get('api/csrf')
  @ApiOkResponse({ type: CsrfTokenDto })
  csrfToken(@Req() req: Request, @Res({ passthrough: true }) res: Response): CsrfTokenDto {
    return this.issueCsrfToken(req, res);
  }

  /** The same token at the root path (API.md lists both). */
  @Get('csrf')
  @ApiExcludeEndpoint()
  rootCsrfToken(@Req() req: Request, @Res({ passthrough: true }) res: Response): CsrfTokenDto {
    return this.issueCsrfToken(req, res);
  }

  private issueCsrfToken(req: Request, res: Response): CsrfTokenDto {
    const existing = (req.cookies as Record<string, string> | undefined)?.[CSRF_COOKIE];
    const token = typeof existing === 'string' && /^[A-Za-z0-9_-]{32,64}$/.test(existing) ? existing : randomBytes(32).toString('base64url');
    res.cookie(CSRF_COOKIE, token, { httpOnly: false, sameSite: 'strict', secure: this.config.values.cookieSecure, path: '/' });
    return { csrfToken: token };
  }

}
