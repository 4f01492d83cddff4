// Mounts the SPA.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
// Vite bundles the stylesheet into its own fingerprinted file, which the CSP (style-src 'self') allows.
import "./styles.css";

const root = document.getElementById("root");
if (!root) {
    throw new Error("index.html has no #root element to mount the SPA in");
}
createRoot(root).render(
    <StrictMode>
        <App />
    </StrictMode>,
);
