import {
  BookReturnPickupRequest,
  InspectReturnRequest,
  ReceiveReturnRequest,
  SubmitReturnParcelRequest,
  type WarehouseReturnsPageResponse,
  WarehouseReturnsQuery,
} from '@mallard/contracts';
import { ACTOR_HEADER, BUYER_HEADER, requireBuyer, WAREHOUSES_HEADER } from '@mallard/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import type { AfterSalesRequestView } from '../requests/request.view.js';
import { ReturnsService } from './returns.service.js';

const warehouseStaff = (actor: string | undefined) => ({ kind: 'WAREHOUSE' as const, id: actor ?? null });
/** The warehouses of the verified token (comma-separated), or undefined when it names none: an admin. */
const scopeOf = (header: string | undefined) => (header === undefined ? undefined : header.split(',').filter(Boolean));

/** The return parcel: the shopper's part under /api/v1/after-sales, the warehouse's under /api/v1/warehouse/after-sales. */
@Controller('internal')
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Post('after-sales/:id/return-parcel')
  @HttpCode(200)
  shipped(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Body() body: SubmitReturnParcelRequest,
  ): Promise<AfterSalesRequestView> {
    return this.returns.shipped(id, requireBuyer(buyerId), body);
  }

  @Get('warehouse/after-sales')
  comingBack(
    @Query() query: WarehouseReturnsQuery,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
  ): Promise<WarehouseReturnsPageResponse> {
    return this.returns.comingBack(query, scopeOf(warehouses));
  }

  @Post('warehouse/after-sales/:id/pickup')
  @HttpCode(200)
  pickupBooked(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
    @Body() body: BookReturnPickupRequest,
  ): Promise<AfterSalesRequestView> {
    return this.returns.pickupBooked(id, warehouseStaff(actor), scopeOf(warehouses), body);
  }

  @Post('warehouse/after-sales/:id/receive')
  @HttpCode(200)
  received(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
    @Body() body: ReceiveReturnRequest,
  ): Promise<AfterSalesRequestView> {
    return this.returns.received(id, warehouseStaff(actor), scopeOf(warehouses), body);
  }

  @Post('warehouse/after-sales/:id/inspection')
  @HttpCode(200)
  inspected(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Headers(WAREHOUSES_HEADER) warehouses: string | undefined,
    @Body() body: InspectReturnRequest,
  ): Promise<AfterSalesRequestView> {
    return this.returns.inspected(id, warehouseStaff(actor), scopeOf(warehouses), body);
  }
}
