// Vite build of the SPA into dist/ (static files nginx serves).
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
    plugins: [react()],
    build: { outDir: "dist", sourcemap: false },
});
