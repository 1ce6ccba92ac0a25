import { Link } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import type { AppPath } from "../paths";

/** A plain "go back" link with the DSFR left-arrow icon (the icon is decorative). */
export function BackLink(props: { to: AppPath; children: string }) {
    return (
        <p className={fr.cx("fr-mt-4w")}>
            <Link
                to={props.to}
                className={fr.cx("fr-link", "fr-icon-arrow-left-line", "fr-link--icon-left")}
            >
                {props.children}
            </Link>
        </p>
    );
}
