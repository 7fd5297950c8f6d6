import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AssetEntity } from '../entities/asset.entity';

/** The `assets` table (the catalogue; it changes only by migration). */
@Injectable()
export class AssetsRepository {
  constructor(@InjectRepository(AssetEntity) private readonly assets: Repository<AssetEntity>) {}

  /** The enabled assets, by market-cap rank. */
  enabled(): Promise<AssetEntity[]> {
    return this.assets.find({ where: { enabled: true }, order: { rank: 'ASC' } });
  }
}
