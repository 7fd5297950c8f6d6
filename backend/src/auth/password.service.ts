import { Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { AppConfig } from '../config/config.service';
import { bcryptInput } from './password-policy';

/** bcrypt at `BCRYPT_COST` (12 by default) over a SHA-256 pre-hash (see `bcryptInput`). */
@Injectable()
export class PasswordService {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(bcryptInput(password), this.config.values.bcryptCost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(bcryptInput(password), hash);
  }

  /** Spends the same time as a real check, so an unknown email cannot be told apart by timing. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= bcrypt.hash(bcryptInput('no-such-account-0'), this.config.values.bcryptCost);
    await bcrypt.compare(bcryptInput(password), await this.dummyHash);
    return false;
  }
}
