import type { RouteObject } from "react-router-dom";
import { DirectivesAddPage } from "./DirectivesAddPage";
import { HealthEntryAddPage, HealthEntryDeletePage, HealthEntryEditPage } from "./HealthEntryPages";
import { MyHealthPage } from "./MyHealthPage";
import { WishesPage } from "./WishesPage";
import { paths } from "../shared/paths";

/** «Ma santé» and «Volontés et droits», with the screens of their entries. */
export const healthProfileRoutes: RouteObject[] = [
    { path: paths.myHealth, element: <MyHealthPage /> },
    { path: paths.myHealthEntryAdd, element: <HealthEntryAddPage area="sante" /> },
    { path: paths.myHealthEntryEdit, element: <HealthEntryEditPage area="sante" /> },
    { path: paths.myHealthEntryDelete, element: <HealthEntryDeletePage area="sante" /> },
    { path: paths.myWishes, element: <WishesPage /> },
    { path: paths.myWishesEntryAdd, element: <HealthEntryAddPage area="volontes" /> },
    { path: paths.myWishesEntryEdit, element: <HealthEntryEditPage area="volontes" /> },
    { path: paths.myWishesEntryDelete, element: <HealthEntryDeletePage area="volontes" /> },
    { path: paths.myDirectivesAdd, element: <DirectivesAddPage /> }
];
