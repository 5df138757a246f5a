import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, NotEquals } from 'class-validator';
import { ID_PATTERN } from '../catalog/catalog.dto.js';
import { MANUAL_MOVEMENT_KINDS, type ManualMovementKind } from './movement-rules.js';

const MAX_UNITS = 1_000_000;

/** A receipt (quantity > 0) or an adjustment (signed: a count found more or fewer units). */
export class PostMovementDto {
  @Matches(ID_PATTERN) skuId: string;
  @Matches(ID_PATTERN) warehouseId: string;
  @IsIn(MANUAL_MOVEMENT_KINDS) kind: ManualMovementKind;
  @IsInt() @NotEquals(0) @Min(-MAX_UNITS) @Max(MAX_UNITS) quantity: number;
  @IsString() @Length(1, 500) reason: string;
}

export class MovementsQuery {
  @IsOptional() @Matches(ID_PATTERN) skuId?: string;
  @IsOptional() @Matches(ID_PATTERN) warehouseId?: string;
  @IsOptional() @IsUUID() orderId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit: number = 100;
}
