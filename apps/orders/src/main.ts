import 'reflect-metadata';
import { runService } from '@mallard/platform';
import { ordersService } from './service.js';

await runService(ordersService);
