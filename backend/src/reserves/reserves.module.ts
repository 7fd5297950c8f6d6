import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { LedgerReaderModule } from '../ledger/reader/ledger-reader.module';
import { WalletModule } from '../wallet/wallet.module';
import { ReserveProofEntity } from './entities/reserve-proof.entity';
import { ReserveSnapshotEntity } from './entities/reserve-snapshot.entity';
import { ProofOfReservesAdminController, ProofOfReservesController } from './proof-of-reserves.controller';
import { ProofOfReservesService } from './proof-of-reserves.service';
import { ReservesRepository } from './reserves.repository';

/**
 * Proof of reserves (floor 4, a read model over money): the users' liabilities as a Merkle sum tree, read through
 * LedgerReader; the reserves beside them from wallet's external reconciliation. Owns `reserve_snapshots` and
 * `reserve_proofs`; moves no money.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ReserveSnapshotEntity, ReserveProofEntity]), LedgerReaderModule, WalletModule, AuditModule],
  controllers: [ProofOfReservesController, ProofOfReservesAdminController],
  providers: [ReservesRepository, ProofOfReservesService],
})
export class ReservesModule {}
