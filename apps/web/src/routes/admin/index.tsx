import { adminIndexRoute, adminRoute, regionRoute } from './base';
import { auditRoutes } from './audit';
import { cyclesRoutes } from './cycles';
import { factsRoutes } from './facts';
import { orgRoutes } from './org';
import { rulesetsRoutes } from './rulesets';

/** The admin console: each section declares its routes in its folder's index.tsx. */
export const adminTree = adminRoute.addChildren([
  adminIndexRoute,
  regionRoute.addChildren([...cyclesRoutes, ...orgRoutes, ...rulesetsRoutes, ...factsRoutes, ...auditRoutes]),
]);
