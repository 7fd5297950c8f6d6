import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { getPortfolio } from '../../api/fn/portfolio/get-portfolio';
import type { PortfolioDto } from '../../api/models';

@Injectable()
export class DashboardStore {
  private readonly api = inject(Api);
  readonly portfolio = signal<PortfolioDto | null>(null);
  readonly loading = signal(false);

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await this.api.invoke(getPortfolio, {});
      this.portfolio.set(res.portfolio);
    } finally {
      this.loading.set(false);
    }
  }
}
