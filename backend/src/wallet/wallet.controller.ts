import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiKeyScope } from '../auth/api-keys/api-key-scope.decorator';
import { WalletResponseDto } from './dto/wallet.dto';
import { WalletService } from './wallet.service';

@ApiTags('wallet')
@Controller('api/wallet')
@Authenticated()
@ApiKeyScope('read')
export class WalletController {
  constructor(private readonly wallet: WalletService) {}

  @Get('balance')
  @ApiOkResponse({ type: WalletResponseDto })
  getWalletBalance(@CurrentUser() user: AuthUser): Promise<WalletResponseDto> {
    return this.wallet.getBalance(user);
  }
}
