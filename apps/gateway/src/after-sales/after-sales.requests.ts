import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';

const UUID_EXAMPLE = '9b2f0c3e-5d1a-4e8b-8f2c-6a7d3e1b0c55';

/** The most files one evidence upload takes, and the most bytes each (after-sales checks both). */
export const MAX_EVIDENCE_FILES = 9;
export const MAX_EVIDENCE_FILE_BYTES = 10 * 1024 * 1024;
/** Nine files at their largest plus 1 MiB for the parts' headers and boundaries: anything larger is 413 at the gateway. */
export const EVIDENCE_BODY_LIMIT = MAX_EVIDENCE_FILES * MAX_EVIDENCE_FILE_BYTES + 1024 * 1024;
export const EVIDENCE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'video/mp4'] as const;

/** `:id` of an order whose after-sales requests are asked for or made. */
export class OrderIdParam {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE, description: 'The order' }) @IsUUID() id: string;
}

/** `:id` of an after-sales request. */
export class AfterSalesIdParam {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE, description: 'The after-sales request' }) @IsUUID() id: string;
}

/** `:id/evidence/:fileId` */
export class EvidenceFileParams {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE, description: 'The after-sales request' }) @IsUUID() id: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE, description: 'The evidence file' }) @IsUUID() fileId: string;
}

const EXPIRES_PATTERN = /^[0-9]{1,15}$/;
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The signature of an evidence link (`url` of an EvidenceFileResponse), passed on as it came:
 * after-sales signed these very characters, so they are checked for shape only, never re-written.
 */
export class EvidenceLinkQuery {
  @ApiProperty({ pattern: EXPIRES_PATTERN.source, example: '1764064800', description: 'When the link stops working, as the link gives it' })
  @Matches(EXPIRES_PATTERN, { message: 'expires must be 1-15 digits' })
  expires: string;
  @ApiProperty({
    pattern: SIGNATURE_PATTERN.source,
    example: 'q3Jm0yXo8C1sV1pZq2V0kq0N9l2Tt1cZ5n0m4b7ZyXw',
    description: 'The link’s signature',
  })
  @Matches(SIGNATURE_PATTERN, { message: 'signature must be 1-256 letters, digits, "-" or "_"' })
  signature: string;
}
