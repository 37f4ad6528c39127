/** kuscia-scheduler: gang scheduling of Kuscia's TaskResources (see scheduler.ts). */
import type { ControllerContext, KusciaController } from '../controllers/common/controller-context.ts';
import { KusciaScheduler, type KusciaSchedulerOptions } from './scheduler.ts';

export { KusciaScheduler, type KusciaSchedulerOptions } from './scheduler.ts';

export function newKusciaScheduler(ctx: ControllerContext, options: KusciaSchedulerOptions = {}): KusciaController {
  return new KusciaScheduler(ctx, options);
}
