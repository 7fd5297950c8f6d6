import type { RecurringBuyRunDto } from '../../api/models';

/**
 * Why a recurring buy's run did not buy, in the reader's words, for the reason codes the server writes
 * (RecurringBuysRunner: skipped for a refusal of the order, failed after its last attempt); null for a code this
 * client does not know (a newer server's), whose words are then the server's.
 */
export function knownRunReason(reasonCode: string | null | undefined): string | null {
  switch (reasonCode) {
    case 'INSUFFICIENT_FUNDS':
      return $localize`:why a recurring buy was skipped:Not enough USD available`;
    case 'MIN_NOTIONAL':
      return $localize`:why a recurring buy was skipped:Below the minimum order value after the fee`;
    case 'UNKNOWN_ASSET':
      return $localize`:why a recurring buy was skipped:The asset is no longer listed`;
    case 'ACCOUNT_SUSPENDED':
      return $localize`:why a recurring buy was skipped:Your account is suspended`;
    case 'PRICE_STALE':
      return $localize`:why a recurring buy failed:No current price was available`;
    case 'DATABASE_BUSY':
      return $localize`:why a recurring buy failed:The service was too busy to place it`;
    case 'SERVICE_UNAVAILABLE':
      return $localize`:why a recurring buy failed:A service it needs was unavailable`;
    case 'ERROR':
      return $localize`:why a recurring buy failed:An error on our side`;
    default:
      return null;
  }
}

/** Why a run did not buy, in the reader's words (the server's English for a reason this client does not know). */
export function runReason(run: Pick<RecurringBuyRunDto, 'reasonCode' | 'reason'>): string | null {
  return run.reasonCode ? (knownRunReason(run.reasonCode) ?? run.reason) : null;
}
