import type { RouteObject } from "react-router-dom";
import { HistoryPage } from "./pages/HistoryPage";
import { NotificationsPage } from "./pages/NotificationsPage";
import { paths } from "./paths";

/** «Historique des accès» and «Mes notifications». */
export const historyRoutes: RouteObject[] = [
    { path: paths.history, element: <HistoryPage /> },
    { path: paths.notifications, element: <NotificationsPage /> }
];
