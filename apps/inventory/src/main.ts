import 'reflect-metadata';
import { runService } from '@mallard/platform';
import { inventoryService } from './service.js';

await runService(inventoryService);
