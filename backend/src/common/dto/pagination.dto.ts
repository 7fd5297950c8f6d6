import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { validationFailed } from '../errors/app-error';
import { isBigintId, isUuid } from '../pipes/id.pipes';
import { wholeNumberBetween } from '../decorators/validation-messages';

const LIMIT = { message: wholeNumberBetween('how many to show', 1, 100) };
/** What a person is told about a cursor that this API did not issue (or one of an earlier page of another list). */
const CURSOR_INVALID = 'This page link no longer works; start again from the first page';

/** `?limit=&cursor=`; the cursor is opaque to clients. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, type: 'integer', description: 'How many items a page holds: a whole number from 1 to 100' })
  @IsOptional()
  @Type(() => Number)
  @IsInt(LIMIT)
  @Min(1, LIMIT)
  @Max(100, LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page (nextCursor), at most 200 characters', maxLength: 200 })
  @IsOptional()
  @IsString({ message: CURSOR_INVALID })
  @MaxLength(200, { message: CURSOR_INVALID })
  cursor?: string;
}

/** The type of a list's key column: the id half of its cursors must be one. */
export type CursorKey = 'uuid' | 'bigint';

/** Keyset cursor over (createdAt, id): stable under inserts. Read back by `decodeCursor` only. */
export function encodeCursor(createdAt: Date, id: string | number): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), String(id)])).toString('base64url');
}

/** What `toISOString` writes for the years a row of ours can carry (1970-9999): nothing PostgreSQL cannot hold. */
const ISSUED_AT = /^(19[7-9][0-9]|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

/**
 * The one cursor codec of every keyset list: decodes a cursor from `encodeCursor`
 * and checks both halves against what the list's query will bind them to (the id
 * against the key type, the timestamp against the years this API issues, well
 * inside PostgreSQL's range). Anything else is a 400 VALIDATION_FAILED on
 * `cursor`, never a database error (22P02, 22003, 22008) or a 500.
 */
export function decodeCursor(cursor: string | undefined, key: CursorKey): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = validationFailed([{ field: 'cursor', message: CURSOR_INVALID }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw invalid;
  const [at, id] = parsed as [string, string];
  if (!ISSUED_AT.test(at)) throw invalid;
  const createdAt = new Date(at);
  // Rejects dates that do not exist (2026-02-30 would roll over to March).
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) throw invalid;
  if (!(key === 'uuid' ? isUuid(id) : isBigintId(id))) throw invalid;
  return { createdAt, id };
}
