import type { RouteObject } from "react-router-dom";
import { HistoryPage } from "./HistoryPage";
import { NotificationsPage } from "./NotificationsPage";
import { paths } from "../shared/paths";

/** «Historique des accès» and «Mes notifications». */
export const historyRoutes: RouteObject[] = [
    { path: paths.history, element: <HistoryPage /> },
    { path: paths.notifications, element: <NotificationsPage /> }
];
