import 'reflect-metadata';
import { runService } from '@mallard/platform';
import { paymentsService } from './service.js';

await runService(paymentsService);
