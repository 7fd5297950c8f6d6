import { IsEmail, IsInt, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { AppError } from '../errors/app-error';
import { IsDecimalString } from '../decorators/is-decimal-string.decorator';
import { createValidationPipe } from './validation.pipe';

class Body {
  @IsEmail({}, { message: 'Enter a valid email address' })
  @MaxLength(254, { message: 'That email address is too long (at most 254 characters)' })
  email: string;

  @IsString({ message: 'Enter a label of 1 to 64 characters' })
  @Length(1, 64, { message: 'Enter a label of 1 to 64 characters' })
  @Matches(/^[^<>]+$/, { message: 'A label cannot contain < or >' })
  label: string;

  @Type(() => Number)
  @IsInt({ message: 'Choose a whole number' })
  @Min(1, { message: 'Choose 1 or more' })
  @Max(100, { message: 'Choose 100 or less' })
  limit: number;

  @IsDecimalString({ min: '0', exclusiveMin: true, max: '100', maxScale: 8, label: 'an amount' })
  amount: string;
}

async function details(body: Record<string, unknown>): Promise<{ field?: string; message: string }[]> {
  const valid = { email: 'ann@example.com', label: 'Cold storage', limit: 5, amount: '1' };
  try {
    await createValidationPipe().transform({ ...valid, ...body }, { type: 'body', metatype: Body });
  } catch (e) {
    return (e as AppError).details ?? [];
  }
  return [];
}

describe('createValidationPipe (one message a field, the most relevant)', () => {
  it('asks for a missing value, never tells it it is too long', async () => {
    expect(await details({ email: undefined })).toEqual([{ field: 'email', message: 'Enter a valid email address' }]);
    expect(await details({ email: 'a'.repeat(250) + '@example.com' })).toEqual([
      { field: 'email', message: 'That email address is too long (at most 254 characters)' },
    ]);
  });

  it('tells an empty label to enter one, not that it holds a forbidden character', async () => {
    expect(await details({ label: '' })).toEqual([{ field: 'label', message: 'Enter a label of 1 to 64 characters' }]);
    expect(await details({ label: 'a<b' })).toEqual([{ field: 'label', message: 'A label cannot contain < or >' }]);
  });

  it('tells a value of the wrong kind its kind before its bounds', async () => {
    expect(await details({ limit: 'abc' })).toEqual([{ field: 'limit', message: 'Choose a whole number' }]);
    expect(await details({ limit: '0' })).toEqual([{ field: 'limit', message: 'Choose 1 or more' }]);
  });

  it('gives each field one message, and refuses fields the request may not carry', async () => {
    expect(await details({ email: '', label: '', amount: '1'.repeat(40), role: 'admin' })).toEqual([
      { field: 'role', message: 'role is not an allowed field' },
      { field: 'email', message: 'Enter a valid email address' },
      { field: 'label', message: 'Enter a label of 1 to 64 characters' },
      { field: 'amount', message: 'That number is too large (at most 100)' },
    ]);
  });
});
