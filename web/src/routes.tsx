import type { RouteObject } from "react-router-dom";
import { Layout } from "./components/Layout";
import { HomePage } from "./pages/HomePage";
import { CreatePage } from "./pages/CreatePage";
import { CreateWithCodePage } from "./pages/CreateWithCodePage";
import { RequestCodePage } from "./pages/RequestCodePage";
import { LoginPage } from "./pages/LoginPage";
import { ProPage } from "./pages/ProPage";
import { AccessibilityPage } from "./pages/AccessibilityPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { paths } from "./paths";

export { paths };
export type { AppPath } from "./paths";

/**
 * The route table. All pages share the DSFR layout (header, skip links, footer).
 * The server answers index.html for any unknown non-API GET path, so the last
 * route ("*") renders the French 404 page on the client.
 */
export const appRoutes: RouteObject[] = [
    {
        element: <Layout />,
        children: [
            { path: paths.home, element: <HomePage /> },
            { path: paths.create, element: <CreatePage /> },
            { path: paths.createWithCode, element: <CreateWithCodePage /> },
            { path: paths.requestCode, element: <RequestCodePage /> },
            { path: paths.login, element: <LoginPage /> },
            { path: paths.pro, element: <ProPage /> },
            { path: paths.accessibility, element: <AccessibilityPage /> },
            { path: "*", element: <NotFoundPage /> }
        ]
    }
];
