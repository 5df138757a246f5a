import {
  DeadLetterActionRequest,
  DeadLetterDetailResponse,
  DeadLetterGroupParam,
  DeadLetterGroupResponse,
  DeadLetterParam,
  DeadLetterResponse,
  DeadLettersQuery,
} from '@mallard/contracts';
import { DeadLetterActionRefused, DeadLetterDesk, DeadLetterGroupNotFound, DeadLetterNotFound } from '@mallard/messaging';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { deadLetterProblems } from './dead-letters.problems.js';

/**
 * The dead-letter desk for staff: the same desk as `npm run dlq` (docs/operations.md), on the
 * gateway's own broker connection. Who replays or discards is the token's subject.
 */
@ApiTags('back office')
@ApiBearerAuth()
@Controller('api/v1/admin/dead-letters')
export class DeadLettersController {
  constructor(private readonly desk: DeadLetterDesk) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The consumer groups that have a dead-letter topic, with their letters counted by status' })
  @ApiOkResponse({ type: [DeadLetterGroupResponse] })
  @ApiProblems(401, 403)
  groups(): Promise<DeadLetterGroupResponse[]> {
    return this.desk.groups();
  }

  @Get(':group')
  @Roles('admin')
  @ApiOperation({
    summary: "A consumer group's dead letters, oldest first, each with its status and history",
    description: '404 `dead-letter-group-not-found`.',
  })
  @ApiOkResponse({ type: [DeadLetterResponse] })
  @ApiProblems(401, 403, 404)
  list(@Param() { group }: DeadLetterGroupParam, @Query() { status }: DeadLettersQuery): Promise<DeadLetterResponse[]> {
    return answer(() => this.desk.list(group, status));
  }

  @Get(':group/:id')
  @Roles('admin')
  @ApiOperation({
    summary: 'One dead letter whole: its headers and body, status and history',
    description: '404 `dead-letter-group-not-found`, `dead-letter-not-found`.',
  })
  @ApiOkResponse({ type: DeadLetterDetailResponse })
  @ApiProblems(401, 403, 404)
  show(@Param() { group, id }: DeadLetterParam): Promise<DeadLetterDetailResponse> {
    return answer(() => this.desk.show(group, id));
  }

  @Post(':group/:id/replay')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Send a dead letter again to its source topic, through the normal consumer path, and record who did it and why',
    description:
      'Every consumer group of the source topic receives it again; the ones that had applied it skip it (inbox). ' +
      '404 `dead-letter-group-not-found`, `dead-letter-not-found`; 409 `dead-letter-already-handled`, `dead-letter-beyond-inbox-retention` unless `force`.',
  })
  @ApiOkResponse({ type: DeadLetterResponse })
  @ApiProblems(401, 403, 404, 409)
  replay(
    @Param() { group, id }: DeadLetterParam,
    @Body() { why, force }: DeadLetterActionRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<DeadLetterResponse> {
    return answer(() => this.desk.replay(group, id, { by: user.id, why, force }));
  }

  @Post(':group/:id/discard')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Mark a dead letter as dealt with, sending nothing, and record who did it and why',
    description: '404 `dead-letter-group-not-found`, `dead-letter-not-found`; 409 `dead-letter-already-handled` unless `force`.',
  })
  @ApiOkResponse({ type: DeadLetterResponse })
  @ApiProblems(401, 403, 404, 409)
  discard(
    @Param() { group, id }: DeadLetterParam,
    @Body() { why, force }: DeadLetterActionRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<DeadLetterResponse> {
    return answer(() => this.desk.discard(group, id, { by: user.id, why, force }));
  }
}

/** The desk's refusals as problems. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DeadLetterGroupNotFound) throw deadLetterProblems.groupNotFound(error.consumerGroup);
    if (error instanceof DeadLetterNotFound) throw deadLetterProblems.letterNotFound(error.consumerGroup, error.id);
    if (error instanceof DeadLetterActionRefused && error.code === 'already-handled') {
      throw deadLetterProblems.alreadyHandled(error.consumerGroup, error.id, error.status);
    }
    if (error instanceof DeadLetterActionRefused && error.code === 'beyond-inbox-retention') {
      throw deadLetterProblems.beyondInboxRetention(error.consumerGroup, error.id);
    }
    throw error;
  }
}
