import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ example: 'ok' })
  status: string;
}

export class ComponentStatusDto {
  @ApiProperty({ enum: ['up', 'down'], enumName: 'ComponentState' })
  status: 'up' | 'down';

  @ApiPropertyOptional({ example: 'postgres' })
  kind?: string;

  @ApiPropertyOptional({ example: 3 })
  latencyMs?: number;
}

export class PriceComponentDto {
  @ApiProperty({ example: 'simulated' })
  source: string;

  @ApiProperty({ example: 'live' })
  state: string;

  @ApiProperty({ nullable: true, type: Number, example: 850 })
  ageMs: number | null;

  @ApiProperty()
  stale: boolean;
}

export class HealthComponentsDto {
  @ApiProperty({ type: ComponentStatusDto })
  database: ComponentStatusDto;

  @ApiProperty({ type: ComponentStatusDto })
  redis: ComponentStatusDto;

  @ApiProperty({ type: PriceComponentDto, nullable: true })
  prices: PriceComponentDto | null;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'down'], enumName: 'HealthStatus' })
  status: 'ok' | 'degraded' | 'down';

  @ApiProperty({ type: HealthComponentsDto })
  components: HealthComponentsDto;

  @ApiProperty({ example: '0.1.0' })
  version: string;
}

export class ApiInfoDto {
  @ApiProperty({ example: 'CryptoVault' })
  name: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ example: 'development' })
  environment: string;

  @ApiProperty({ example: '/docs' })
  docs: string;
}

export class CsrfTokenDto {
  @ApiProperty({
    description:
      "Echo this in the X-CSRF-Token header of cookie-authenticated POST/PUT/PATCH/DELETE requests. It is bound to the session of the access_token cookie (a pre-session token before sign-in); login and refresh set the new session's token as the csrf_token cookie.",
  })
  csrfToken: string;
}
