import 'reflect-metadata';
import { runService } from '@mallard/platform';
import { afterSalesService } from './service.js';

await runService(afterSalesService);
