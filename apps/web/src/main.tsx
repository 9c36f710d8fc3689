import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from './api/problem';
import { onSessionEnd } from './api/session';
import { I18nProvider } from './i18n';
import { makeRouter } from './router';
import './styles/app.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // a problem the API answered is the answer (4xx); only a lost connection or a 5xx is worth another try
      retry: (count, err) => count < 2 && !(err instanceof ApiProblem && err.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});
const router = makeRouter(queryClient);

// the API no longer accepts the session: drop everything cached for it and ask to sign in, saying why
onSessionEnd((reason) => {
  queryClient.clear();
  const here = router.state.location;
  if (here.pathname === '/sign-in') return;
  void router.navigate({ to: '/sign-in', search: { reason, ...(reason === 'expired' ? { redirect: here.href } : {}) } });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
