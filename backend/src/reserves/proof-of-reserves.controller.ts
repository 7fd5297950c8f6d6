import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { sendCachedJson } from '../common/http/cached-json';
import { AdminReserveSnapshotResponseDto, MyReserveProofDto, ProofOfReservesDto } from './dto/proof-of-reserves.dto';
import { ProofOfReservesService } from './proof-of-reserves.service';

/** The published proof of reserves (anyone) and each user's inclusion proof. */
@ApiTags('proof-of-reserves')
@Controller('api/proof-of-reserves')
export class ProofOfReservesController {
  constructor(private readonly reserves: ProofOfReservesService) {}

  @Get()
  @ApiOperation({
    summary: 'The latest published proof-of-reserves snapshot: root hash, liabilities and reserves per asset',
    description:
      'Public. The Merkle sum tree’s root hash over every user’s balances at `takenAt`, the totals per asset it carries (the ' +
      'users’ liabilities, equal to the ledger’s), and beside them the reserves the payment provider account held at the ' +
      'latest external reconciliation (source and time in `reservesSource`; null before the first) with reserves ÷ liabilities. ' +
      '`snapshot` is null before the first snapshot. Cacheable for a minute; ETag / If-None-Match.',
  })
  @ApiOkResponse({ type: ProofOfReservesDto })
  @ApiErrors(429)
  async getProofOfReserves(@Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'public, max-age=60');
    sendCachedJson(res, await this.reserves.published());
  }

  @Get('my-proof')
  @Authenticated()
  @ApiOperation({
    summary: 'Your inclusion proof in the latest snapshot',
    description:
      'Your balances, your leaf’s nonce and the path from your leaf to the root (sibling hashes and sums): verify it in the ' +
      'client, or save `proof` as JSON and run `node scripts/verify-reserves-proof.mjs proof.json <rootHash>`. 404 before the ' +
      'first snapshot, and for an account that had no ledger balance row at the time (it never held anything).',
  })
  @ApiOkResponse({ type: MyReserveProofDto })
  @ApiErrors(404)
  getMyReserveProof(@CurrentUser() user: AuthUser): Promise<MyReserveProofDto> {
    return this.reserves.myProof(user);
  }
}

/** Taking a snapshot now (the schedule takes one every PROOF_OF_RESERVES_INTERVAL_MS). */
@ApiTags('admin')
@Controller('api/admin/proof-of-reserves')
@Authenticated({ roles: ['admin'] })
export class ProofOfReservesAdminController {
  constructor(private readonly reserves: ProofOfReservesService) {}

  @Post('snapshots')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Take a proof-of-reserves snapshot now',
    description:
      'Reads every user’s balances in one consistent database snapshot, builds the Merkle sum tree and publishes it when its ' +
      'totals equal the ledger’s liabilities exactly (else it is stored as `failed` with the reason, and nothing is published). ' +
      '409 INVALID_STATE while another snapshot is being taken; at most 10 an hour across the deployment (429); audited.',
  })
  @ApiCreatedResponse({ type: AdminReserveSnapshotResponseDto })
  @ApiErrors(409, 429)
  async createReserveSnapshot(@CurrentUser() admin: AuthUser): Promise<AdminReserveSnapshotResponseDto> {
    return { snapshot: await this.reserves.snapshotNow(admin) };
  }
}
