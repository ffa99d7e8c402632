// Vite build of the dashboard. `npm run dev` proxies the API to a running `live2 serve` (LIVE2_URL, default
// http://127.0.0.1:8080) so the page and the API share one origin, as they do when live2 serves web/dist itself.
import { defineConfig } from "vite";

const apiOrigin = process.env.LIVE2_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, target: "es2020", chunkSizeWarningLimit: 200 },
  server: {
    proxy: {
      "/api": { target: apiOrigin, changeOrigin: false },
      "/files": { target: apiOrigin, changeOrigin: false },
    },
  },
});
