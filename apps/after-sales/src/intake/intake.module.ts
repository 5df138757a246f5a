import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DeskModule } from '../desk/desk.module.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { PurchasesModule } from '../purchases/purchases.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { IntakeController } from './intake.controller.js';
import { IntakeService } from './intake.service.js';

/** Shoppers' requests and the evidence they add. */
@Module({
  imports: [CatalogModule, PurchasesModule, RequestsModule, DeskModule, EvidenceModule],
  controllers: [IntakeController],
  providers: [IntakeService],
})
export class IntakeModule {}
