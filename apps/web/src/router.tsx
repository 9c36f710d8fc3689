import type { QueryClient } from '@tanstack/react-query';
import { createRouter } from '@tanstack/react-router';
import { adminTree } from './routes/admin';
import { asnRoutes } from './routes/asn';
import { publicRoutes } from './routes/public';
import { appRoute, indexRoute, rootRoute, RouteError, signInRoute } from './routes/base';
import { supervisorRoutes } from './routes/supervisor';
import { Loading } from './components/basic';
import { parseSearch, stringifySearch } from './lib/search-params';

const routeTree = rootRoute.addChildren([indexRoute, signInRoute, ...publicRoutes, appRoute.addChildren([...asnRoutes, ...supervisorRoutes, adminTree])]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // the query cache decides freshness; the router always asks it
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: Loading,
    defaultErrorComponent: RouteError,
    scrollRestoration: true,
    parseSearch,
    stringifySearch,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
