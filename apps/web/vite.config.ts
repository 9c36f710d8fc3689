import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `npm start` serves the API; the dev server forwards the API's own paths there. */
const API_ORIGIN = 'http://localhost:3000';

// The paths the API owns (apps/api/src/app.ts); every other path is the app's (src/routes).
const API_PATHS = ['^/auth/', '^/me($|[/?])', '^/evaluations/', '^/admin/', '^/public/', '^/health', '^/openapi\\.json', '^/docs'];

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    port: 5173,
    proxy: Object.fromEntries(API_PATHS.map((p) => [p, { target: API_ORIGIN, changeOrigin: false }])),
  },
  preview: {
    port: 4173,
    proxy: Object.fromEntries(API_PATHS.map((p) => [p, { target: API_ORIGIN, changeOrigin: false }])),
  },
});
