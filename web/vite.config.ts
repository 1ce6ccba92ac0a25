import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The web app lives in web/ and is built to web/dist/, which the Fastify server serves.
// Static DSFR assets are copied to web/public/dsfr/ by scripts/build-web.mjs (Vite's
// default public folder is <root>/public) and end up in web/dist/dsfr/.
const webDir = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
    root: webDir,
    base: "/",
    plugins: [react()],
    build: {
        outDir: "dist",
        emptyOutDir: true,
        // Keep small assets as files (no inline data: URLs) so a strict CSP stays simple.
        assetsInlineLimit: 0,
        sourcemap: false
    },
    preview: {
        port: 4173,
        strictPort: true
    }
});
