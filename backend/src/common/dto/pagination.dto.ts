import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { validationFailed } from '../errors/app-error';

/** `?limit=&cursor=`; the cursor is opaque to clients. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** Keyset cursor over (createdAt, id): stable under inserts. */
export function encodeCursor(createdAt: Date, id: string | number): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), String(id)])).toString('base64url');
}

/** Decodes a cursor from `encodeCursor`; anything else is a 400, never a 500. */
export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const invalid = validationFailed([{ field: 'cursor', message: 'cursor is not one this API issued' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw invalid;
  const createdAt = new Date(parsed[0]);
  if (Number.isNaN(createdAt.getTime())) throw invalid;
  return { createdAt, id: parsed[1] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `decodeCursor` for keysets whose id is a uuid: a cursor with any other id is a 400, never a database error. */
export function decodeUuidCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  const decoded = decodeCursor(cursor);
  if (decoded && !UUID.test(decoded.id)) throw validationFailed([{ field: 'cursor', message: 'cursor is not one this API issued' }]);
  return decoded;
}
