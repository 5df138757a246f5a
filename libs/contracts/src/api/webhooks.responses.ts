import { ApiProperty } from '@nestjs/swagger';

/** What payments answers a JSON provider (sandbox, Stripe) once its callback is recorded. */
export class WebhookAcknowledgement {
  @ApiProperty({ type: Boolean, enum: [true], example: true }) received: true;
}
