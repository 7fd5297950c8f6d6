import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROOF_FORMAT, PROOF_FORMAT_V1, type ProofVersion } from '../merkle-sum-tree';

export class ReservesSourceDto {
  @ApiProperty({ example: 'nowpayments', description: 'The payment provider whose account balances were read (the external reconciliation)' })
  provider: string;

  @ApiProperty({ format: 'date-time', description: 'When the provider’s balances were read' })
  checkedAt: string;

  @ApiProperty({ format: 'uuid', description: 'The external reconciliation the figure comes from' })
  reconciliationId: string;
}

export class ReserveAssetDto {
  @ApiProperty({ example: 'BTC' })
  asset: string;

  @ApiProperty({ example: '12.5', description: 'What users owned of it at the snapshot (available and held): the root’s sum, as a decimal string' })
  liabilities: string;

  @ApiProperty({ example: '12500000000000000000', description: 'The same as the tree carries it: a whole number of 10^-18 of the asset' })
  liabilitiesUnits: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '13.1',
    description:
      'What the payment provider account held of it at `reservesSource.checkedAt`, plus payouts under way (already out of the provider, still in users’ balances); for USD the stablecoins’ surplus at par. Null: no provider check yet',
  })
  reserves: string | null;

  @ApiProperty({ type: ReservesSourceDto, nullable: true, description: 'Where and when the reserves figure was read; null when unknown' })
  reservesSource: ReservesSourceDto | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '1.048',
    description: 'reserves ÷ liabilities, a decimal string rounded down to 4 places; null when either is unknown or the liabilities are 0',
  })
  ratio: string | null;
}

export class PublishedSnapshotDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time', description: 'The moment of the ledger the tree was built from (one consistent database snapshot)' })
  takenAt: string;

  @ApiProperty({ format: 'date-time', description: 'When it was published' })
  publishedAt: string;

  @ApiProperty({ example: '3f1c…', pattern: '^[0-9a-f]{64}$', description: 'The Merkle sum tree’s root hash (SHA-256, hex): compare it with your proof’s' })
  rootHash: string;

  @ApiProperty({ example: 1042, description: 'Leaves in the tree: one per user account with a ledger balance row' })
  leafCount: number;

  @ApiProperty({ example: 18, description: 'Amounts in the tree are whole numbers of 10^-unitDecimals of the asset' })
  unitDecimals: number;

  @ApiProperty({ type: [ReserveAssetDto], description: 'Per asset of the tree, in the tree’s order (sorted by symbol)' })
  assets: ReserveAssetDto[];
}

export class ProofOfReservesDto {
  @ApiProperty({ type: PublishedSnapshotDto, nullable: true, description: 'The latest published snapshot; null before the first' })
  snapshot: PublishedSnapshotDto | null;
}

export const PATH_SIDES = ['left', 'right'] as const;

export class ProofLeafDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Version 2: your account id (your user id), which the leaf’s hash covers: the verifiers check that it is yours (`--account`). Absent in version 1 proofs',
  })
  account?: string;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'Your leaf’s random nonce for this snapshot (32 bytes, hex): shown only to you' })
  nonce: string;

  @ApiProperty({ type: [String], example: ['500000000000000000'], description: 'Your balance per asset (in `assets` order), in units of 10^-18' })
  balances: string[];
}

export class ProofPathStepDto {
  @ApiProperty({ enum: PATH_SIDES, enumName: 'ProofPathSide', description: 'Where the sibling sits: left or right of the node on your path' })
  side: 'left' | 'right';

  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  hash: string;

  @ApiProperty({ type: [String], description: 'The sibling’s sums per asset, in units' })
  sums: string[];
}

export class ProofRootDto {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  hash: string;

  @ApiProperty({ type: [String], description: 'The totals per asset, in units' })
  sums: string[];
}

/** Exactly what `scripts/verify-reserves-proof.mjs` reads (ARCHITECTURE.md "Proof of reserves"). */
export class InclusionProofDto {
  @ApiProperty({ enum: [PROOF_FORMAT, PROOF_FORMAT_V1], enumName: 'InclusionProofFormat', example: PROOF_FORMAT })
  format: typeof PROOF_FORMAT | typeof PROOF_FORMAT_V1;

  @ApiProperty({
    enum: [2, 1],
    enumName: 'InclusionProofVersion',
    example: 2,
    description: '2: the leaf names (and its hash covers) your account id; 1: a snapshot taken before that (the leaf names no account)',
  })
  version: ProofVersion;

  @ApiProperty({ format: 'uuid' })
  snapshotId: string;

  @ApiProperty({ format: 'date-time' })
  takenAt: string;

  @ApiProperty({ example: 18 })
  unitDecimals: number;

  @ApiProperty({ type: [String], example: ['BTC', 'ETH', 'USD'], description: 'The snapshot’s assets, sorted' })
  assets: string[];

  @ApiProperty({ type: ProofLeafDto })
  leaf: ProofLeafDto;

  @ApiProperty({ type: [ProofPathStepDto], description: 'From your leaf up to the root' })
  path: ProofPathStepDto[];

  @ApiProperty({ type: ProofRootDto })
  root: ProofRootDto;
}

export class ProofBalanceDto {
  @ApiProperty({ example: 'BTC' })
  asset: string;

  @ApiProperty({ example: '0.5', description: 'Your balance (available and held) at the snapshot, as a decimal string' })
  amount: string;
}

export class MyReserveProofDto {
  @ApiProperty({ type: [ProofBalanceDto], description: 'Your balances in the proof, as decimal strings' })
  balances: ProofBalanceDto[];

  @ApiProperty({ type: InclusionProofDto, description: 'Your inclusion proof: verify it here, or save it as JSON for the standalone verifier' })
  proof: InclusionProofDto;
}

export class AdminReserveSnapshotDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    enum: ['published', 'failed'],
    enumName: 'ReserveSnapshotStatus',
    description: 'failed: the tree did not reconcile to the ledger (see error); nothing was published',
  })
  status: 'published' | 'failed';

  @ApiProperty({ enum: ['schedule', 'admin'], enumName: 'ReserveSnapshotTrigger' })
  trigger: 'schedule' | 'admin';

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  takenAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  rootHash: string | null;

  @ApiProperty()
  leafCount: number;

  @ApiProperty({ type: [ProofBalanceDto], description: 'The totals per asset (the users’ liabilities), as decimal strings' })
  totals: ProofBalanceDto[];

  @ApiProperty({ type: String, nullable: true })
  error: string | null;

  @ApiProperty({ description: 'How long it took, in milliseconds' })
  durationMs: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class AdminReserveSnapshotResponseDto {
  @ApiProperty({ type: AdminReserveSnapshotDto })
  snapshot: AdminReserveSnapshotDto;
}
