// Builds the report renderer for Node (an SSR bundle with React inside), so main can render reports with the
// app's components without a browser and without React being a runtime dependency of the packaged app.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Also when a test runner (NODE_ENV=test) builds it: the JSX transform must match the production React bundled.
process.env.NODE_ENV = 'production';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [react()],
  ssr: { noExternal: true },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    ssr: fileURLToPath(new URL('./renderReport.tsx', import.meta.url)),
    outDir: fileURLToPath(new URL('../../dist/report', import.meta.url)),
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { output: { format: 'es', entryFileNames: 'renderReport.js' } },
  },
});
