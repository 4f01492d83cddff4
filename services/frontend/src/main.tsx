// Mounts the SPA.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

const root = document.getElementById("root");
if (!root) {
    throw new Error("index.html has no #root element to mount the SPA in");
}
createRoot(root).render(
    <StrictMode>
        <App />
    </StrictMode>,
);
