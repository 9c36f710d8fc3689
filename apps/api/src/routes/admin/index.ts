import type { ResolvedDeps } from '../../env.js';
import { newRouter } from '../../router.js';

export function adminRoutes(_deps: ResolvedDeps) {
  return newRouter();
}
