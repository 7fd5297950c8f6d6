import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength } from 'class-validator';

export class SetupFirstAdminDto {
  @ApiProperty({
    example: 'ops@example.com',
    format: 'email',
    maxLength: 254,
    description: 'The email address (at most 254 characters) of a verified account that becomes the first admin',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'Enter a valid email address' })
  @MaxLength(254, { message: 'That email address is too long (at most 254 characters)' })
  email: string;
}
