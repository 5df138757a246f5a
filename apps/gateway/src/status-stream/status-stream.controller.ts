import { type OrderResponse, OrderStatusEventResponse } from '@mallard/contracts';
import { BUYER_HEADER } from '@mallard/platform';
import { Controller, Get, Headers, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { statusFromOrdersAlone } from '../read-model/read-model.queries.js';
import { forwardedProblem } from '../upstream/upstream.problems.js';
import { Upstreams } from '../upstream/upstreams.js';
import type { StreamSink } from './status-stream.service.js';
import { StatusStreamService } from './status-stream.service.js';

export const EVENT_STREAM = 'text/event-stream';

/** A stream's buffered bytes past which its client is taken to be gone (a stream writes a few hundred bytes a change). */
const MAX_BUFFERED_BYTES = 1_048_576;

const STREAM_EXAMPLE = [
  'retry: 3000',
  '',
  'id: 0.4',
  'event: status',
  'data: {"orderId":"0b8e6f1c-4a1d-4c53-9a57-2f0d5f4c7e21","status":"PARTIALLY_SHIPPED","flags":{"interception":"NONE","refunded":"NONE","exception":false,"afterSales":false}}',
  '',
  ': keep-alive',
  '',
  '',
].join('\n');

/** The shopper's order status as it changes, pushed (server-sent events) instead of polled. */
@ApiTags('orders')
@ApiBearerAuth()
// The data of each event, for the typed client: OpenAPI 3.0 cannot type the items of a stream
// (3.2's itemSchema can), so the response only names it, and redocly lists it as unused.
@ApiExtraModels(OrderStatusEventResponse)
@Controller('api/v1/orders')
export class StatusStreamController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly streams: StatusStreamService,
  ) {}

  @Get(':id/status-stream')
  @Roles('shopper')
  @ApiOperation({
    summary: 'The status of one of my orders, live (server-sent events)',
    description:
      'Opens a text/event-stream that sends the order’s shopper status and flags as an event of type `status` (data: OrderStatusEventResponse): the current one first, then each change. ' +
      'Each event’s `id` is the order’s status position (`<generation>.<version>`); reconnect with it as `Last-Event-ID` and a status already seen is not sent again. ' +
      'A comment line (`: keep-alive`) comes after 15 s without an event. Only the buyer may listen: another’s order is 404, as for GET /api/v1/orders/{id}. ' +
      'A buyer may have a few streams open at once (429 `too-many-status-streams` beyond). The status comes from the gateway’s read model, a moment after the change; the stream ends when the gateway instance stops, and the client reconnects.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The order' })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The `id` of the last event received, when reconnecting: the status it names is not sent again',
    schema: { type: 'string', pattern: '^[0-9]{1,9}\\.[0-9]{1,9}$', example: '0.4' },
  })
  @ApiOkResponse({
    description:
      'A stream of server-sent events of type `status`, each `data` a JSON OrderStatusEventResponse (components/schemas/OrderStatusEventResponse), each `id` a status position to send back as `Last-Event-ID`',
    content: {
      [EVENT_STREAM]: {
        schema: {
          type: 'string',
          description: 'text/event-stream: `retry:`, then `id:`/`event: status`/`data:` blocks and `: keep-alive` comments',
          example: STREAM_EXAMPLE,
        },
      },
    },
  })
  @ApiProblems(401, 403, 404)
  async stream(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The same ownership check and the same 404 as GET /api/v1/orders/{id}: orders decides.
    const order = await this.upstreams.call<OrderResponse>('orders', {
      path: `/internal/orders/${orderId}`,
      headers: { [BUYER_HEADER]: user.id },
    });
    if (order.status !== 200) throw forwardedProblem('orders', order);
    if (reply.request.method === 'HEAD') {
      // A HEAD answers the GET's headers and no body: no stream to keep open.
      await reply.header('content-type', EVENT_STREAM).send();
      return;
    }
    await this.streams.start({ orderId, buyerId: user.id, lastEventId, fallback: statusFromOrdersAlone(order.body.state) }, () =>
      openEventStream(reply),
    );
  }
}

/**
 * Takes the response over from Fastify (it will not end it) and starts the event stream: headers
 * set so far (the correlation id) go out with the stream's own, and nothing buffers it on the way.
 */
function openEventStream(reply: FastifyReply): StreamSink {
  reply.hijack();
  const raw = reply.raw;
  const setSoFar = Object.entries(reply.getHeaders()).filter(
    (header): header is [string, string | number | string[]] => header[1] !== undefined,
  );
  raw.writeHead(200, {
    ...Object.fromEntries(setSoFar),
    'content-type': `${EVENT_STREAM}; charset=utf-8`,
    'cache-control': 'no-cache, no-transform',
    // nginx and its kin buffer responses unless told not to; a buffered stream arrives late or never.
    'x-accel-buffering': 'no',
    // A stream's connection is never reused: once the stream ends it closes, so a server closing
    // waits for no idle keep-alive connection, and a reconnecting EventSource opens a new one anyway.
    connection: 'close',
  });
  const gone = () => raw.destroyed || !raw.socket || raw.socket.destroyed;
  return {
    write: (chunk) => {
      if (gone()) throw new Error('the client is gone');
      raw.write(chunk);
      if (raw.writableLength > MAX_BUFFERED_BYTES) throw new Error('the client does not read its stream');
    },
    end: () => {
      if (!raw.writableEnded) raw.end();
    },
    onClose: (listener) => {
      // A write to a closed connection errs on the response; the stream is closed all the same.
      raw.on('error', listener);
      if (gone()) queueMicrotask(listener);
      else raw.on('close', listener);
    },
  };
}
