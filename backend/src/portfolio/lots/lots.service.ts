import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { conflict, notFound, validationFailed } from '../../common/errors/app-error';
import { CASH_ASSET, formatAmount } from '../../common/money/amount-format';
import { Dec, dec } from '../../common/money/decimal';
import { UnitOfWork } from '../../database/unit-of-work';
import {
  CostBasisMethodDto,
  CostBasisMethodResponseDto,
  LotDto,
  LotListDto,
  LotResponseDto,
  LotsQueryDto,
  OwnWalletResponseDto,
  SetCostBasisMethodDto,
  SetLotCostBasisDto,
  SetOwnWalletDto,
} from './dto/lots.dto';
import { withdrawalIdOf } from './lot-actions';
import { type BuiltBook, LotBookBuilder } from './lot-book.builder';
import { type Lot, methodAt } from './lot-matching';
import { LotsRepository } from './lots.repository';

/** USD to the cent (half-even), as the API writes it. */
export const usd = (v: Dec): string => formatAmount(v.toDecimalPlaces(2), CASH_ASSET);

const DAY = 86_400_000;

/** Lots with a cost their owner enters: deposits in kind and operators' credits. */
const editable = (l: Lot): boolean => l.origin === 'deposit' || l.origin === 'adjustment';

/**
 * The user's cost-basis lots (GET /api/portfolio/lots), their matching method (from a date forward), the cost basis
 * of deposits in kind and the own-wallet mark of withdrawals: what the owner says, stored; the lots, rebuilt.
 */
@Injectable()
export class LotsService {
  constructor(
    private readonly builder: LotBookBuilder,
    private readonly repo: LotsRepository,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  async lots(user: AuthUser, q: LotsQueryDto): Promise<LotListDto> {
    const built = await this.builder.build(user.id);
    const all = built.book.lots.map((l) => toLotDto(l, built));
    const items = all.filter((l) => (!q.asset || l.asset === q.asset) && (!q.status || l.status === q.status));
    return { items, unknownCostBasis: all.filter((l) => l.costBasis === null).length };
  }

  async method(user: AuthUser): Promise<CostBasisMethodResponseDto> {
    return { costBasisMethod: await this.methodDto(user.id) };
  }

  /**
   * A method change from a day on: today (from now, so disposals already made keep their method) or a later day
   * within a year. Disposals before it keep the method then in force. Audited; a change to what is already in force
   * with nothing pending changes nothing.
   */
  async setMethod(user: AuthUser, dto: SetCostBasisMethodDto): Promise<CostBasisMethodResponseDto> {
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    let from = new Date(today);
    if (dto.effectiveFrom) {
      const day = new Date(`${dto.effectiveFrom}T00:00:00Z`);
      if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== dto.effectiveFrom)
        throw validationFailed([{ field: 'effectiveFrom', message: 'Enter a day like 2027-01-01' }]);
      if (day.getTime() < today)
        throw validationFailed([{ field: 'effectiveFrom', message: 'Choose today or a later day: disposals already made keep their method' }]);
      if (day.getTime() > today + 366 * DAY) throw validationFailed([{ field: 'effectiveFrom', message: 'Choose a day within a year from today' }]);
      from = day;
    }
    const before = await this.methodDto(user.id);
    const inForceThen = methodAt(
      before.history.map((h) => ({ method: h.method, effectiveFrom: new Date(h.effectiveFrom) })),
      new Date(Math.max(from.getTime(), Date.now())),
    );
    if (inForceThen === dto.method && !before.pending) return { costBasisMethod: before };
    await this.uow.run(async (tx) => {
      const at = await this.repo.addMethod(tx, user.id, dto.method, from);
      await this.audit.record(
        {
          action: 'portfolio.cost_basis_method_changed',
          userId: user.id,
          details: { method: dto.method, previous: before.method, effectiveFrom: at.toISOString() },
        },
        tx,
      );
    });
    return { costBasisMethod: await this.methodDto(user.id) };
  }

  /** Enters the cost of a deposit in kind (or an operator's credit); 404 for any other user's or unknown lot. Audited. */
  async setLotCost(user: AuthUser, lotId: string, dto: SetLotCostBasisDto): Promise<LotResponseDto> {
    const lot = (await this.builder.build(user.id, { prices: false })).book.lots.find((l) => l.id === lotId);
    if (!lot) throw notFound();
    if (!editable(lot)) throw conflict('INVALID_STATE', 'This lot was bought here: its cost basis is the price paid and cannot be changed');
    await this.uow.run(async (tx) => {
      const previous = await this.repo.setCost(tx, user.id, lotId, dto.costBasis);
      await this.audit.record(
        { action: 'portfolio.lot_cost_basis_entered', userId: user.id, details: { lotId, asset: lot.asset, costBasis: dto.costBasis, previous } },
        tx,
      );
    });
    const built = await this.builder.build(user.id);
    return {
      lot: toLotDto(
        built.book.lots.find((l) => l.id === lotId)!,
        built,
      ),
    };
  }

  /**
   * Marks a sent withdrawal of the caller as to their own wallet (its lots leave as a transfer, no gain) or not (a
   * disposal at market value). 404 for a withdrawal that is not the caller's or not sent yet. Audited when it changes.
   */
  async setOwnWallet(user: AuthUser, withdrawalId: string, dto: SetOwnWalletDto): Promise<OwnWalletResponseDto> {
    const built = await this.builder.build(user.id, { prices: false });
    const sent = built.events.some((e) => e.type === 'withdrawal' && withdrawalIdOf(e.reference) === withdrawalId);
    if (!sent) throw notFound();
    await this.uow.run(async (tx) => {
      if (await this.repo.setOwnWallet(tx, user.id, withdrawalId, dto.ownWallet))
        await this.audit.record({ action: 'portfolio.withdrawal_own_wallet', userId: user.id, details: { withdrawalId, ownWallet: dto.ownWallet } }, tx);
    });
    return { withdrawalId, ownWallet: dto.ownWallet };
  }

  private async methodDto(userId: string): Promise<CostBasisMethodDto> {
    const rows = await this.repo.methods(userId);
    const history = rows.map((r) => ({
      method: r.method,
      effectiveFrom: new Date(r.effective_from).toISOString(),
      createdAt: new Date(r.created_at).toISOString(),
    }));
    const now = new Date();
    const pending = history.filter((h) => new Date(h.effectiveFrom).getTime() > now.getTime());
    return {
      method: methodAt(
        history.map((h) => ({ method: h.method, effectiveFrom: new Date(h.effectiveFrom) })),
        now,
      ),
      pending: pending[0] ?? null,
      history,
    };
  }
}

export function toLotDto(l: Lot, built: BuiltBook): LotDto {
  const edit = editable(l);
  return {
    id: l.id,
    asset: l.asset,
    acquiredAt: l.acquiredAt.toISOString(),
    origin: l.origin,
    quantity: formatAmount(l.quantity, l.asset),
    remaining: formatAmount(l.remaining, l.asset),
    costBasis: l.cost === null ? null : usd(l.cost),
    remainingCostBasis: l.remainingCost === null ? null : usd(l.remaining.isZero() ? dec(0) : l.remainingCost),
    costBasisSource: l.cost === null ? 'unknown' : edit && built.owner.costs.has(l.id) ? 'entered' : 'trade',
    costBasisEditable: edit,
    status: l.remaining.gt(0) ? 'open' : 'closed',
  };
}
