import {
  AnswerInterceptionRequest,
  HandOverParcelRequest,
  ListSubOrdersQuery,
  PackSubOrderRequest,
  ReportShipmentRequest,
  type TrackedParcel,
  TrackingNumberQuery,
} from '@mallard/contracts';
import { ACTOR_HEADER, WAREHOUSES_HEADER } from '@mallard/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { fulfilmentProblems } from './fulfilment.problems.js';
import { FulfilmentQueries } from './fulfilment.queries.js';
import { FulfilmentService, type WarehouseScope } from './fulfilment.service.js';
import type { ParcelView, ShipmentView, WarehouseSubOrderView } from './warehouse-sub-order.view.js';

/** The warehouses the caller is limited to (from the verified service token), or undefined: not limited. */
const scopeOf = (header: string | undefined): WarehouseScope => (header === undefined ? undefined : header.split(',').filter(Boolean));

/** Warehouse and merchant steps; the gateway exposes them under /api/v1/warehouse. */
@Controller('internal')
export class FulfilmentController {
  constructor(
    private readonly fulfilment: FulfilmentService,
    private readonly queries: FulfilmentQueries,
  ) {}

  @Get('sub-orders')
  list(@Query() query: ListSubOrdersQuery, @Headers(WAREHOUSES_HEADER) warehouses: string | undefined) {
    const scope = scopeOf(warehouses);
    if (scope && !scope.includes(query.warehouseId)) throw fulfilmentProblems.warehouseNotYours(query.warehouseId);
    return this.queries.forWarehouse(query.warehouseId, query.state, query.page, query.pageSize);
  }

  @Get('sub-orders/:id')
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
  ): Promise<WarehouseSubOrderView> {
    const view = await this.queries.subOrder(id);
    const scope = scopeOf(warehouses);
    if (!view || (scope && !scope.includes(view.warehouseId))) throw fulfilmentProblems.subOrderNotFound(id);
    return view;
  }

  @Post('sub-orders/:id/pick')
  @HttpCode(200)
  pick(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
  ): Promise<WarehouseSubOrderView> {
    return this.fulfilment.pick(id, { kind: 'STAFF', id: actor ?? null }, scopeOf(warehouses));
  }

  @Post('sub-orders/:id/pack')
  @HttpCode(200)
  pack(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
    @Body() request: PackSubOrderRequest,
  ): Promise<WarehouseSubOrderView> {
    return this.fulfilment.pack(id, { kind: 'STAFF', id: actor ?? null }, request, scopeOf(warehouses));
  }

  @Post('sub-orders/:id/shipments')
  @HttpCode(200)
  reportShipment(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
    @Body() request: ReportShipmentRequest,
  ): Promise<WarehouseSubOrderView> {
    return this.fulfilment.reportShipment(id, { kind: 'MERCHANT', id: actor ?? null }, request, scopeOf(warehouses));
  }

  @Post('sub-orders/:id/interception')
  @HttpCode(200)
  answerInterception(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
    @Body() request: AnswerInterceptionRequest,
  ): Promise<WarehouseSubOrderView> {
    return this.fulfilment.answerInterception(id, { kind: 'MERCHANT', id: actor ?? null }, request, scopeOf(warehouses));
  }

  @Post('parcels/:id/handover')
  @HttpCode(200)
  handOver(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
    @Body() request: HandOverParcelRequest,
  ): Promise<WarehouseSubOrderView> {
    return this.fulfilment.handOver(id, { kind: 'STAFF', id: actor ?? null }, request, scopeOf(warehouses));
  }

  /** An order's sub-orders and parcels as its shopper follows them; the gateway checked the shopper owns the order. */
  @Get('orders/:orderId/shipments')
  shipments(@Param('orderId', new ParseUUIDPipe()) orderId: string): Promise<ShipmentView[]> {
    return this.queries.shipmentsOf(orderId);
  }

  /** Customer service finds an order by a tracking number the shopper reads out: not limited to a warehouse. */
  @Get('parcels')
  parcelsByTrackingNumber(@Query() query: TrackingNumberQuery): Promise<TrackedParcel[]> {
    return this.queries.parcelsByTrackingNumber(query.trackingNumber);
  }

  @Get('parcels/:id')
  async parcel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
  ): Promise<ParcelView> {
    const found = await this.queries.parcel(id);
    const scope = scopeOf(warehouses);
    if (!found || (scope && !scope.includes(found.view.warehouseId))) throw fulfilmentProblems.parcelNotFound(id);
    return found.view.parcel;
  }
}
