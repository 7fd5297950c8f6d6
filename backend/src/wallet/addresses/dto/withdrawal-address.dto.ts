import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsTicker } from '../../../common/decorators/is-ticker.decorator';
import { WITHDRAWAL_NETWORKS } from '../../withdrawals/withdrawal-rules';

/** No control character (Unicode Cc: U+0000–U+001F, U+007F–U+009F) and no angle bracket; written without `\p{}` so any client's regex reads it. */
// eslint-disable-next-line no-control-regex
const LABEL_PATTERN = /^[^\u0000-\u001F\u007F-\u009F<>]+$/;
const LABEL = { message: 'Enter a label of 1 to 64 characters' };
const NETWORK = { message: 'Enter a network like bitcoin (see the withdrawal rules)' };
const ADDRESS = { message: 'Enter the address (at most 128 characters)' };
const LINK_TOKEN = { message: 'This link is incomplete: open it again from the email' };
const lower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Where a saved address stands: waiting for the emailed link, confirmed but held, usable, or removed. */
export const WITHDRAWAL_ADDRESS_STATUSES = ['awaiting_confirmation', 'on_hold', 'usable', 'removed'] as const;
export type WithdrawalAddressStatus = (typeof WITHDRAWAL_ADDRESS_STATUSES)[number];

export class CreateWithdrawalAddressDto {
  @ApiProperty({
    example: 'My hardware wallet',
    minLength: 1,
    maxLength: 64,
    pattern: LABEL_PATTERN.source,
    description: 'Your name for it, shown on withdrawals: 1 to 64 characters (spaces around it are trimmed), without < or > or control characters',
  })
  @Transform(trim)
  @IsString(LABEL)
  @Length(1, 64, LABEL)
  @Matches(LABEL_PATTERN, { message: 'A label cannot contain < or > or control characters' })
  label: string;

  @IsTicker({ minLength: 2, maxLength: 10, description: 'Asset this address receives (see GET /api/wallet/withdrawal-rules)' })
  asset: string;

  @ApiPropertyOptional({
    example: 'bitcoin',
    maxLength: 32,
    description: "Network (default: the asset's main network), as GET /api/wallet/withdrawal-rules names it",
  })
  @IsOptional()
  @Transform(lower)
  @IsString(NETWORK)
  @MaxLength(32, NETWORK)
  network?: string;

  @ApiProperty({
    example: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    minLength: 1,
    maxLength: 128,
    description: 'Checked as withdrawals check it: format and checksum per network; at most 128 characters',
  })
  @Transform(trim)
  @IsString(ADDRESS)
  @Length(1, 128, ADDRESS)
  address: string;
}

export class ConfirmWithdrawalAddressDto {
  @ApiProperty({ description: 'The token from the emailed confirmation link: 10 to 200 characters', minLength: 10, maxLength: 200 })
  @IsString(LINK_TOKEN)
  @Length(10, 200, LINK_TOKEN)
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
