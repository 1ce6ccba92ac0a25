import type { ReactNode } from "react";
import { fetchProfessional, type Professional } from "./pro";
import { paths } from "../shared/paths";
import { RequireSignedIn } from "../shared/components/RequireSignedIn";

/**
 * For the professional screens: loads GET /api/pro/me and sends the browser to /pro
 * (with «Se connecter avec Pro Santé Connect») when nobody is signed in.
 */
export function RequireProfessional(props: { children: (professional: Professional) => ReactNode }) {
    return (
        <RequireSignedIn load={fetchProfessional} signInPath={paths.pro} spaceName="Espace professionnel">
            {props.children}
        </RequireSignedIn>
    );
}
