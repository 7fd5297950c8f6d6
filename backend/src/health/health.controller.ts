import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { setCsrfCookie } from '../auth/auth-cookies';
import { CsrfTokens } from '../auth/csrf-tokens.service';
import { AppConfig } from '../config/config.service';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiInfoDto, CsrfTokenDto, LivenessDto, ReadinessDto } from './dto/health.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly config: AppConfig,
    private readonly csrf: CsrfTokens,
  ) {}

  @Get('health')
  @SkipThrottle()
  @ApiOkResponse({ type: LivenessDto })
  liveness(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('api/health')
  @SkipThrottle()
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
  csrfToken(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CsrfTokenDto> {
    return this.issueCsrfToken(req, res);
  }

  /** The same token at the root path (API.md lists both). */
  @Get('csrf')
  @ApiExcludeEndpoint()
  rootCsrfToken(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CsrfTokenDto> {
    return this.issueCsrfToken(req, res);
  }

  /** The token of the caller's session (access_token cookie), or before sign-in a pre-session one; also set as the cookie. */
  private async issueCsrfToken(req: Request, res: Response): Promise<CsrfTokenDto> {
    const token = await this.csrf.forRequest(req);
    // Bound to the caller's session: no shared cache may keep it for someone else.
    res.setHeader('Cache-Control', 'no-store');
    setCsrfCookie(res, token, this.config.values.cookieSecure);
    return { csrfToken: token };
  }
}
