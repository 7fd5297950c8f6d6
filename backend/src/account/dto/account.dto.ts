import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { ACCOUNT_EXPORT_STATUSES, type AccountExportStatus } from '../account-export-rules';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class AccountExportDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    enum: ACCOUNT_EXPORT_STATUSES,
    enumName: 'AccountExportStatus',
    description: 'pending (waiting for a worker), running, ready (download until expiresAt), failed, expired (the file is deleted)',
  })
  status: AccountExportStatus;

  @ApiProperty({ minimum: 0, maximum: 100, example: 40, description: 'Percent done' })
  progress: number;

  @ApiProperty({ type: Number, nullable: true, example: 48213, description: 'Size of the zip in bytes, once ready' })
  sizeBytes: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until when it can be downloaded' })
  expiresAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was first downloaded' })
  downloadedAt: string | null;
}

export class AccountExportListDto {
  @ApiProperty({ type: [AccountExportDto], description: 'The newest first (at most 20)' })
  items: AccountExportDto[];

  @ApiProperty({ example: 3, description: 'Exports a user may request in 24 hours (one at a time)' })
  perDay: number;

  @ApiProperty({ example: 7, description: 'Days a finished export can be downloaded' })
  keptDays: number;
}

export class CloseAccountDto {
  @ApiProperty({
    example: 'ann@example.com',
    format: 'email',
    maxLength: 254,
    description: "The account's email address, typed by its owner to confirm (case and spaces around it do not matter)",
  })
  @Transform(trimLower)
  @IsEmail({}, { message: 'Type your email address to confirm' })
  @MaxLength(254, { message: 'That email address is too long (at most 254 characters)' })
  confirmEmail: string;
}

export class ClosureBlockerDto {
  @ApiProperty({ enum: ['balance', 'orders', 'withdrawals', 'deposits'], enumName: 'ClosureBlockerKind' })
  kind: 'balance' | 'orders' | 'withdrawals' | 'deposits';

  @ApiProperty({ required: false, example: 'BTC', description: 'The asset of a balance' })
  asset?: string;

  @ApiProperty({ required: false, example: '0.00150000', description: 'A balance: available, decimal string' })
  available?: string;

  @ApiProperty({ required: false, example: '0.00000000', description: 'A balance: held by open orders or withdrawals, decimal string' })
  locked?: string;

  @ApiProperty({ required: false, example: 1, description: 'Open orders, withdrawals or deposits' })
  count?: number;
}

export class ClosureStatusDto {
  @ApiProperty({ description: 'Whether the account can be closed now' })
  canClose: boolean;

  @ApiProperty({ type: [ClosureBlockerDto], description: 'What has to be done first (empty when it can close)' })
  blockers: ClosureBlockerDto[];
}

export class AccountClosedDto {
  @ApiProperty({ format: 'date-time' })
  closedAt: string;

  @ApiProperty({ example: 'Your account is closed. Your transaction records are kept as the law requires.' })
  message: string;
}

export class ExportDownloadLinkDto {
  @ApiProperty({
    example: '/api/account/exports/5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11/download?token=…',
    description: 'Where to download the zip: works for this session only, until expiresAt (a few minutes)',
  })
  url: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class ExportDownloadQueryDto {
  @ApiProperty({ description: 'The token of a download link (POST …/link)', maxLength: 200 })
  @IsString({ message: 'This download link is incomplete: ask for a new one' })
  @MaxLength(200, { message: 'This download link is incomplete: ask for a new one' })
  token: string;
}
