import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is a static app: every setting is a VITE_* variable read at build time (src/settings.ts).
export default defineConfig({
  plugins: [react()],
  server: { port: 3000, strictPort: true, host: 'localhost' },
  preview: { port: 3000, strictPort: true, host: 'localhost' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Pages are split by route (lazy imports in src/app/routes.tsx); big libraries get their own chunks
    // so a page's code changes do not invalidate them in browsers' caches.
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          // Anchored on the package folder: monaco-editor/.../graphql/ or @graphiql/react/ are not these packages.
          if (/node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/.test(id)) return 'react';
          if (/node_modules[\\/](@apollo|graphql|rxjs|@wry|optimism|zen-observable)[\\/]/.test(id)) return 'apollo';
          return undefined;
        },
      },
    },
  },
});
