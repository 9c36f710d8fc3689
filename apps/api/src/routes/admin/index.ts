import type { ResolvedDeps } from '../../env.js';
import { newRouter } from '../../router.js';
import { auditRoutes } from './audit.js';
import { calibrationRoutes } from './calibration.js';
import { cycleRoutes } from './cycles.js';
import { factsRoutes } from './facts.js';
import { holidayRoutes } from './holidays.js';
import { notificationRoutes } from './notifications.js';
import { operationsRoutes } from './operations.js';
import { orgRoutes } from './org.js';
import { regionRoutes } from './region.js';
import { ruleSetRoutes } from './rulesets.js';
import { simulationRoutes } from './simulation.js';

export function adminRoutes(deps: ResolvedDeps) {
  return newRouter()
    .route('/', regionRoutes(deps))
    .route('/', orgRoutes(deps))
    .route('/', ruleSetRoutes(deps))
    .route('/', simulationRoutes(deps))
    .route('/', cycleRoutes(deps))
    .route('/', factsRoutes(deps))
    .route('/', calibrationRoutes(deps))
    .route('/', auditRoutes(deps))
    .route('/', operationsRoutes(deps))
    .route('/', holidayRoutes(deps))
    .route('/', notificationRoutes(deps));
}
