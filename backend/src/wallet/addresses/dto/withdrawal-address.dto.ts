import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { WITHDRAWAL_NETWORKS } from '../../withdrawals/withdrawal-rules';

const upper = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const lower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Where a saved address stands: waiting for the emailed link, confirmed but held, usable, or removed. */
export const WITHDRAWAL_ADDRESS_STATUSES = ['awaiting_confirmation', 'on_hold', 'usable', 'removed'] as const;
export type WithdrawalAddressStatus = (typeof WITHDRAWAL_ADDRESS_STATUSES)[number];

export class CreateWithdrawalAddressDto {
  @ApiProperty({ example: 'My hardware wallet', minLength: 1, maxLength: 64, description: 'Your name for it, shown on withdrawals' })
  @Transform(trim)
  @IsString()
  @Length(1, 64, { message: 'label must be 1 to 64 characters long' })
  @Matches(/^[^\p{Cc}<>]+$/u, { message: 'label must not contain control characters or angle brackets' })
  label: string;

  @ApiProperty({ example: 'BTC', description: 'Asset this address receives (see GET /api/wallet/withdrawal-rules)' })
  @Transform(upper)
  @IsString()
  @Matches(/^[A-Z0-9]{2,10}$/, { message: 'asset must be a ticker such as BTC' })
  asset: string;

  @ApiPropertyOptional({ example: 'bitcoin', description: "Network (default: the asset's main network)" })
  @IsOptional()
  @Transform(lower)
  @IsString()
  @MaxLength(32)
  network?: string;

  @ApiProperty({ example: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', description: 'Checked as withdrawals check it: format and checksum per network' })
  @Transform(trim)
  @IsString()
  @Length(1, 128)
  address: string;
}

export class ConfirmWithdrawalAddressDto {
  @ApiProperty({ description: 'The token from the emailed confirmation link', maxLength: 200 })
  @IsString()
  @Length(10, 200)
  token: string;
}

export class WithdrawalAddressDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'My hardware wallet' })
  label: string;

  @ApiProperty({ example: 'BTC' })
  asset: string;

  @ApiProperty({ enum: WITHDRAWAL_NETWORKS, enumName: 'WithdrawalNetwork', example: 'bitcoin' })
  network: string;

  @ApiProperty({ example: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' })
  address: string;

  @ApiProperty({
    enum: WITHDRAWAL_ADDRESS_STATUSES,
    enumName: 'WithdrawalAddressStatus',
    description: 'awaiting_confirmation: open the emailed link; on_hold: confirmed, usable from usableFrom; usable; removed',
  })
  status: WithdrawalAddressStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiPropertyOptional({ format: 'date-time', type: String, nullable: true })
  confirmedAt: string | null;

  @ApiPropertyOptional({
    format: 'date-time',
    type: String,
    nullable: true,
    description: 'First moment a withdrawal may go there (confirmation plus the hold)',
  })
  usableFrom: string | null;

  @ApiPropertyOptional({ format: 'date-time', type: String, nullable: true })
  removedAt: string | null;
}

export class WithdrawalAddressResponseDto {
  @ApiProperty({ type: WithdrawalAddressDto })
  address: WithdrawalAddressDto;
}

export class AddressBookLockDto {
  @ApiProperty({ description: 'While on, no address can be added' })
  enabled: boolean;

  @ApiPropertyOptional({
    format: 'date-time',
    type: String,
    nullable: true,
    description: 'When turning the lock off takes effect (it stays on until then); null when no end is scheduled',
  })
  disablesAt: string | null;
}

export class AddressBookLockResponseDto {
  @ApiProperty({ type: AddressBookLockDto })
  lock: AddressBookLockDto;
}

export class AddressBookDto {
  @ApiProperty({ type: [WithdrawalAddressDto], description: 'Saved addresses that are not removed, newest first' })
  items: WithdrawalAddressDto[];

  @ApiProperty({ type: AddressBookLockDto })
  lock: AddressBookLockDto;

  @ApiProperty({ example: 20, description: 'Most saved addresses at once' })
  maxAddresses: number;

  @ApiProperty({ example: 86400, description: 'Seconds between confirming an address (or turning the lock off) and it taking effect' })
  holdSeconds: number;
}
