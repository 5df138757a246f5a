import { OrderCountsResponse } from '@mallard/contracts';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { ReadModelQueries } from '../read-model/read-model.queries.js';

/** What a mall app shows above "My orders": the gateway answers it from its read model. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MyOrdersController {
  constructor(private readonly readModel: ReadModelQueries) {}

  @Get('order-counts')
  @Roles('shopper')
  @ApiOperation({ summary: 'How many of my orders are in each status (every status, zeros included), as the tabs of a mall app show them' })
  @ApiOkResponse({ type: OrderCountsResponse })
  @ApiProblems(401, 403)
  counts(@CurrentUser() user: AuthenticatedUser): Promise<OrderCountsResponse> {
    return this.readModel.countsFor(user.id);
  }
}
