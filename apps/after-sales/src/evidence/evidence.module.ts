import { Module } from '@nestjs/common';
import { AfterSalesConfig } from '../config/after-sales-config.js';
import { AfterSalesEvidence1764600000002 } from '../migrations/1764600000002-evidence.js';
import { EvidenceController } from './evidence.controller.js';
import { EvidenceService } from './evidence.service.js';
import { EvidenceFile } from './evidence-file.entity.js';
import { EVIDENCE_STORAGE, LocalDirectoryEvidenceStorage } from './evidence-storage.js';

/** The tables and migrations of the evidence feature, for the service definition's lists. */
export const EVIDENCE_ENTITIES = [EvidenceFile];
export const EVIDENCE_MIGRATIONS = [AfterSalesEvidence1764600000002];

/**
 * Evidence files of after-sales requests. The storage is bound here, behind EVIDENCE_STORAGE:
 * another (an object store) replaces the local directory by binding that token instead.
 */
@Module({
  controllers: [EvidenceController],
  providers: [
    EvidenceService,
    {
      provide: EVIDENCE_STORAGE,
      useFactory: (config: AfterSalesConfig) => new LocalDirectoryEvidenceStorage(config.EVIDENCE_DIR),
      inject: [AfterSalesConfig],
    },
  ],
  exports: [EvidenceService],
})
export class EvidenceModule {}
