import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { startReactDsfr } from "@codegouvfr/react-dsfr/spa";
import { BrowserRouter, Link } from "react-router-dom";
import { App } from "./App";
import "./index.css";

// Set up the French State design system (DSFR) for a single-page app, with
// react-router's <Link> used by every DSFR component that takes `linkProps`.
startReactDsfr({ defaultColorScheme: "system", Link });

declare module "@codegouvfr/react-dsfr/spa" {
    interface RegisterLink {
        Link: typeof Link;
    }
}

const rootElement = document.getElementById("root");
if (rootElement === null) {
    throw new Error("Élément #root introuvable dans index.html");
}

createRoot(rootElement).render(
    <StrictMode>
        <BrowserRouter>
            <App />
        </BrowserRouter>
    </StrictMode>
);
