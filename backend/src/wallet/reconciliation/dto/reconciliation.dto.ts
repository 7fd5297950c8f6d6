import { ApiProperty } from '@nestjs/swagger';
import {
  LINE_STATUSES,
  type LineStatus,
  RECONCILIATION_STATUSES,
  RECONCILIATION_TRIGGERS,
  type ReconciliationStatus,
  type ReconciliationTrigger,
} from '../provider-reconciliation';

export class ReconciliationLineDto {
  @ApiProperty({ example: 'BTC', description: 'Our asset (USD: the users’ dollars, backed by the stablecoins’ surplus at par)' })
  asset: string;

  @ApiProperty({ example: '1.25000000', description: 'What users own of it, available and held: the ledger’s liabilities' })
  liabilities: string;

  @ApiProperty({
    example: '1.30000000',
    description: 'What the provider account holds of it (every currency code of the asset; for USD, the USDT and USDC surplus)',
  })
  provider: string;

  @ApiProperty({ example: '0.00000000', description: 'Arriving at the provider, not settled yet: shown, not counted' })
  pending: string;

  @ApiProperty({ example: '0.01000000', description: 'Payouts under way (already leaving the provider, still held in the ledger until confirmed)' })
  inFlight: string;

  @ApiProperty({ example: '0.06000000', description: 'provider + inFlight − liabilities; negative is a shortfall' })
  difference: string;

  @ApiProperty({ enum: LINE_STATUSES, enumName: 'ReconciliationLineStatus', description: 'covered (difference ≥ 0) or short' })
  status: LineStatus;

  @ApiProperty({ type: [String], example: ['btc'], description: 'The provider’s currency codes counted' })
  currencies: string[];

  @ApiProperty({ type: [String], nullable: true, example: null, description: 'For USD: the assets whose surplus backs it; null otherwise' })
  backedBy: string[] | null;
}

export class ReconciliationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'nowpayments' })
  provider: string;

  @ApiProperty({
    enum: RECONCILIATION_TRIGGERS,
    enumName: 'ReconciliationTrigger',
    description: 'schedule (every PROVIDER_RECONCILE_INTERVAL_MS) or admin (on demand)',
  })
  trigger: ReconciliationTrigger;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The admin who ran it (null for the schedule)' })
  requestedBy: string | null;

  @ApiProperty({
    enum: RECONCILIATION_STATUSES,
    enumName: 'ReconciliationStatus',
    description: 'ok (every asset covered), short (at least one is not), error (the provider’s balances could not be read: see error)',
  })
  status: ReconciliationStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Why the provider could not be read (status error)' })
  error: string | null;

  @ApiProperty({ example: 180, description: 'How long it took, in milliseconds' })
  durationMs: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: [ReconciliationLineDto], description: 'One line per asset with liabilities or a provider balance; USD last' })
  lines: ReconciliationLineDto[];
}

export class ReconciliationResponseDto {
  @ApiProperty({ type: ReconciliationDto })
  reconciliation: ReconciliationDto;
}

export class ReconciliationPageDto {
  @ApiProperty({ type: [ReconciliationDto] })
  items: ReconciliationDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
