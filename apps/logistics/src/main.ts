import 'reflect-metadata';
import { runService } from '@mallard/platform';
import { logisticsService } from './service.js';

await runService(logisticsService);
