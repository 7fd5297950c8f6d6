import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { UuidPipe } from '../common/pipes/id.pipes';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiKeyScope } from '../auth/api-keys/api-key-scope.decorator';
import { ApiErrors } from '../common/dto/error-response.dto';
import { AlertsService } from './alerts.service';
import { AlertDto, AlertListDto, AlertListQueryDto, CreateAlertDto, UpdateAlertDto } from './dto/alert.dto';

@ApiTags('alerts')
@Controller('api/alerts')
@Authenticated()
@ApiKeyScope('read')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOkResponse({ type: AlertListDto })
  @ApiErrors(400)
  async listAlerts(@CurrentUser() user: AuthUser, @Query() query: AlertListQueryDto): Promise<AlertListDto> {
    return this.alerts.list(user.id, query);
  }

  @Post()
  @ApiKeyScope('trade')
  @ApiCreatedResponse({ type: AlertDto })
  @ApiErrors(400, 409, 422)
  async createAlert(@CurrentUser() user: AuthUser, @Body() body: CreateAlertDto): Promise<AlertDto> {
    return this.alerts.create(user.id, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: AlertDto })
  @ApiErrors(400, 404)
  async getAlert(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<AlertDto> {
    return this.alerts.get(user.id, id);
  }

  @Patch(':id')
  @ApiKeyScope('trade')
  @ApiOkResponse({ type: AlertDto })
  @ApiErrors(400, 404, 409, 422)
  async updateAlert(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body() body: UpdateAlertDto): Promise<AlertDto> {
    return this.alerts.update(user.id, id, body);
  }

  @Delete(':id')
  @ApiKeyScope('trade')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  async deleteAlert(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.alerts.remove(user.id, id);
  }
}
