import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * The dead-letter desk of the back office (GET/POST /api/v1/admin/dead-letters/...; the same
 * desk as `npm run dlq`, docs/operations.md): what a consumer group could not apply, and what
 * operators did with it.
 */

/** PENDING until an operator replays or discards the letter; the newest action decides. */
export const DEAD_LETTER_STATUSES = ['PENDING', 'REPLAYED', 'DISCARDED'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** Why a consumer dead-lettered a record (docs/operations.md says what to do about each). */
export const DEAD_LETTER_KINDS = ['malformed', 'invalid', 'unknown-type', 'unhandled-version', 'handler-failed'] as const;

/** A consumer group's name as Kafka topic names allow it (its dead-letter topic is `mallard.dlq.<group>`). */
export const CONSUMER_GROUP_PATTERN = /^[A-Za-z0-9._-]{1,200}$/;
/** A dead letter's id: its offset in the group's dead-letter topic. */
export const DEAD_LETTER_ID_PATTERN = /^\d{1,19}$/;
export const MAX_DEAD_LETTER_WHY_LENGTH = 500;

const GROUP = { pattern: CONSUMER_GROUP_PATTERN.source, example: 'inventory' } as const;
const GROUP_MESSAGE = { message: 'group must be 1-200 letters, digits, ".", "_" or "-"' };
const TIMESTAMP = { type: String, format: 'date-time', example: '2025-03-01T09:30:00.000Z' } as const;

export class DeadLetterGroupParam {
  @ApiProperty(GROUP) @Matches(CONSUMER_GROUP_PATTERN, GROUP_MESSAGE) group: string;
}

export class DeadLetterParam {
  @ApiProperty(GROUP) @Matches(CONSUMER_GROUP_PATTERN, GROUP_MESSAGE) group: string;
  @ApiProperty({ pattern: DEAD_LETTER_ID_PATTERN.source, example: '0', description: 'Its offset in the dead-letter topic' })
  @Matches(DEAD_LETTER_ID_PATTERN, { message: 'id must be a dead letter offset (digits)' })
  id: string;
}

export class DeadLettersQuery {
  @ApiPropertyOptional({ enum: DEAD_LETTER_STATUSES, description: 'Only the letters in this status' })
  @IsOptional()
  @IsIn(DEAD_LETTER_STATUSES)
  status?: DeadLetterStatus;
}

/** POST .../replay and .../discard: who acts is the token's subject; why is kept with the action. */
export class DeadLetterActionRequest {
  @ApiProperty({ minLength: 1, maxLength: MAX_DEAD_LETTER_WHY_LENGTH, example: 'weighing fixed in inventory 1.4.2' })
  @IsString()
  @MaxLength(MAX_DEAD_LETTER_WHY_LENGTH)
  @Matches(/\S/, { message: 'why must say why' })
  why: string;

  @ApiPropertyOptional({
    example: false,
    description: 'Act on a letter that is no longer PENDING (a second replay): refused with 409 without it',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

/** GET /api/v1/admin/dead-letters */
export class DeadLetterGroupResponse {
  @ApiProperty(GROUP) consumerGroup: string;
  @ApiProperty({ example: 'mallard.dlq.inventory' }) topic: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) total: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) pending: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) replayed: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) discarded: number;
}

/** One replay or discard of a dead letter. */
export class DeadLetterActionResponse {
  @ApiProperty({ enum: ['replay', 'discard'] }) action: 'replay' | 'discard';
  @ApiProperty({ example: 'staff-7', description: 'Who did it: the subject of their token (or --by of the CLI)' }) by: string;
  @ApiProperty({ example: 'weighing fixed in inventory 1.4.2' }) why: string;
  @ApiProperty(TIMESTAMP) at: string;
  @ApiProperty({ example: false, description: 'Done with force on a letter that was no longer PENDING' }) forced: boolean;
}

/** GET /api/v1/admin/dead-letters/{group}; the answer of a replay or a discard. */
export class DeadLetterResponse {
  @ApiProperty(GROUP) consumerGroup: string;
  @ApiProperty({ pattern: DEAD_LETTER_ID_PATTERN.source, example: '0' }) id: string;
  @ApiProperty({ example: 'handler-failed', description: `One of ${DEAD_LETTER_KINDS.join(', ')}; \`unknown\` if the record does not say` })
  kind: string;
  @ApiProperty({ example: 'Error: SKU tea has no warehouse' }) reason: string;
  @ApiProperty({ type: String, nullable: true, example: 'order.placed', description: 'null: the record has no CloudEvents headers' })
  eventType: string | null;
  @ApiProperty({ type: String, nullable: true, example: '6a14bf58-5c40-4b10-80a2-c2303f29aafe' }) eventId: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0b9d3c56-3f0e-4d8e-9a55-2a8c1d1f7e21', description: 'The record key' })
  key: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'mallard.orders.events', description: 'Where a replay sends it' })
  sourceTopic: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 3 }) sourcePartition: number | null;
  @ApiProperty({ type: String, nullable: true, example: '1042' }) sourceOffset: string | null;
  @ApiProperty({ ...TIMESTAMP, nullable: true, description: 'When the consumer dead-lettered it' }) failedAt: string | null;
  @ApiProperty({ ...TIMESTAMP, nullable: true, description: 'The event time (ce_time): when its producer published it' })
  publishedAt: string | null;
  @ApiProperty({ enum: DEAD_LETTER_STATUSES }) status: DeadLetterStatus;
  @ApiProperty({ type: [DeadLetterActionResponse], description: 'Every replay and discard, oldest first' })
  history: DeadLetterActionResponse[];
}

/** GET /api/v1/admin/dead-letters/{group}/{id} */
export class DeadLetterDetailResponse extends DeadLetterResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { ce_id: '6a14bf58-5c40-4b10-80a2-c2303f29aafe', ce_type: 'order.placed', dlq_kind: 'handler-failed' },
    description: 'The record headers as text: the original ones and the dlq_* ones the consumer added',
  })
  headers: Record<string, string>;
  @ApiProperty({ example: '{"orderId":"0b9d3c56-3f0e-4d8e-9a55-2a8c1d1f7e21"}', description: 'The record value as UTF-8 text' })
  body: string;
}
