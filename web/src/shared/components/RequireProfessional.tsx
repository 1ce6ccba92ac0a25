import type { ReactNode } from "react";
import { fetchProfessional, type Professional } from "../../professional/pro";
import { paths } from "../paths";
import { RequireSignedIn } from "./RequireSignedIn";

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
