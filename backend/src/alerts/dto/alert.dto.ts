import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { ALERT_CONDITIONS, type AlertCondition } from '../alert-rules';

const bool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);
const TARGET = { min: '0', exclusiveMin: true, max: '1000000000000', maxScale: 8, example: '70000.00', description: 'USD price' };

export class CreateAlertDto {
  @IsTicker({ description: 'Ticker of a listed asset (case-insensitive)' })
  symbol: string;

  @ApiProperty({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition' })
  @IsIn(ALERT_CONDITIONS, { message: 'condition must be above or below' })
  condition: AlertCondition;

  @IsDecimalString(TARGET)
  targetPrice: string;

  @ApiPropertyOptional({ default: false, description: 'Also email the user when it fires' })
  @IsOptional()
  @IsBoolean()
  notifyEmail?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Let the client show a system (push) notification when it fires' })
  @IsOptional()
  @IsBoolean()
  notifyPush?: boolean;
}

export class UpdateAlertDto {
  @ApiPropertyOptional({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition' })
  @IsOptional()
  @IsIn(ALERT_CONDITIONS, { message: 'condition must be above or below' })
  condition?: AlertCondition;

  @IsDecimalString({ ...TARGET, optional: true })
  targetPrice?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  notifyEmail?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  notifyPush?: boolean;

  @ApiPropertyOptional({ description: 'true re-arms a fired or paused alert; false pauses it' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class AlertListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only armed (true) or only fired/paused (false) alerts' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @IsTicker({ optional: true })
  symbol?: string;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'BTC' })
  symbol: string;

  @ApiProperty({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition' })
  condition: AlertCondition;

  @ApiProperty({ example: '70000.00000000', description: 'USD, decimal string' })
  targetPrice: string;

  @ApiProperty()
  notifyEmail: boolean;

  @ApiProperty()
  notifyPush: boolean;

  @ApiProperty({ description: 'Armed: fires once when a tick reaches the target' })
  active: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  triggeredAt: string | null;

  @ApiProperty({ type: String, nullable: true, example: '70012.34000000', description: 'The price that fired it' })
  triggeredPrice: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class AlertListDto {
  @ApiProperty({ type: [AlertDto] })
  items: AlertDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
