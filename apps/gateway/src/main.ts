import 'reflect-metadata';
import { runService } from '@mallard/platform';
import { gatewayService } from './service.js';

await runService(gatewayService);
