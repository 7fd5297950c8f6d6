import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiPropertyOptional({ example: 'email' })
  field?: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;
}

export class ErrorInfoDto {
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code (see API.md "Error codes")' })
  code: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;

  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];
}

/** The one error shape of every failure. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ type: ErrorInfoDto })
  error: ErrorInfoDto;

  @ApiProperty({ example: '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11' })
  requestId: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED with details; INVALID_BODY for JSON nested deeper than 32 levels)',
  401: 'Not authenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  422: 'Business rule refused the request',
  429: 'Too many requests (see Retry-After)',
  503: 'A dependency is unavailable',
};

/** Documents error responses in the one error shape. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })));
}
