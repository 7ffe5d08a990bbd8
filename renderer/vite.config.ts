// Builds the renderer into dist/renderer for both faces: the browser host serves it over HTTP and the Electron
// window loads it from file://, hence relative asset paths (base './').
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The dev server injects inline scripts (React refresh), which the app's CSP rightly forbids; the policy is
 * dropped from the page only in `vite serve`, never from a build.
 */
function devWithoutCsp(): Plugin {
  return {
    name: 'relay-tester-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/s, ''),
  };
}

export default defineConfig(({ command }) => {
  // A build is a production build even when a test runner (NODE_ENV=test) starts it: React's development build
  // would otherwise be bundled, and tests would not see what users get.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: './',
    plugins: [react(), devWithoutCsp()],
    build: {
      outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
      emptyOutDir: true,
      target: 'chrome120',
      // One module graph, no inline scripts: the CSP allows scripts from 'self' only.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      chunkSizeWarningLimit: 2048,
    },
  };
});
