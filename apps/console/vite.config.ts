import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is a static app: every setting is a VITE_* variable read at build time (src/settings.ts).
export default defineConfig({
  plugins: [react()],
  server: { port: 3000, strictPort: true, host: 'localhost' },
  optimizeDeps: {
    // Only the app's own page is an entry (not a build output lying in the folder).
    entries: ['index.html'],
    // GraphiQL's Monaco workers are `?worker` imports, which the dependency pre-bundler cannot load:
    // Vite serves that module as is instead.
    exclude: ['graphiql/setup-workers/vite'],
  },
  preview: { port: 3000, strictPort: true, host: 'localhost' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Monaco (GraphiQL's editor) and ELK's layout worker are big by nature; both load only on their
    // page (the explorer, a lineage graph), never on the first screen.
    chunkSizeWarningLimit: 3000,
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
