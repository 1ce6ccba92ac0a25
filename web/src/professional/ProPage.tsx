import { useSearchParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { BackLink } from "../shared/components/BackLink";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";

/** Where «Se connecter avec Pro Santé Connect» goes: the server sends the browser on to PSC. */
const PRO_LOGIN = "/api/pro/login";

/** What the server says in /pro?erreur=… when a sign-in did not end in the professional space. */
const REFUSALS: Record<string, { severity: "error" | "info"; title: string; description: string }> = {
    inconnu: {
        severity: "error",
        title: "Vous n'êtes pas dans l'annuaire du DMP",
        description:
            "Pro Santé Connect vous a reconnu, mais votre numéro RPPS n'est pas dans l'annuaire des professionnels de santé du DMP. Vous ne pouvez pas accéder au DMP pour le moment."
    },
    annule: {
        severity: "info",
        title: "Connexion annulée",
        description: "Vous avez annulé la connexion avec Pro Santé Connect."
    },
    expire: {
        severity: "error",
        title: "La connexion n'a pas abouti",
        description:
            "La connexion a pris trop de temps, ou elle a été commencée dans un autre onglet ou un autre navigateur. Recommencez."
    },
    echec: {
        severity: "error",
        title: "La connexion n'a pas abouti",
        description: "Pro Santé Connect n'a pas pu confirmer votre identité. Recommencez."
    },
    indisponible: {
        severity: "error",
        title: "Connexion impossible pour le moment",
        description: "La connexion avec Pro Santé Connect ne marche pas pour le moment. Réessayez dans quelques minutes."
    }
};

export function ProPage() {
    usePageTitle("Espace professionnel");
    const [search] = useSearchParams();
    const refusal = REFUSALS[search.get("erreur") ?? ""];

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Espace professionnel</h1>
                {refusal !== undefined && (
                    <Alert
                        className={fr.cx("fr-mb-3w")}
                        severity={refusal.severity}
                        title={refusal.title}
                        description={refusal.description}
                        role={refusal.severity === "error" ? "alert" : "status"}
                        as="h2"
                    />
                )}
                <p className={fr.cx("fr-text--lead")}>
                    Vous êtes professionnel de santé ? Vous vous connectez avec Pro Santé
                    Connect : e-CPS ou carte CPS.
                </p>
                <p>
                    <a className={fr.cx("fr-btn", "fr-btn--lg")} href={PRO_LOGIN}>
                        Se connecter avec Pro Santé Connect
                    </a>
                </p>
                <h2>Les règles d'accès</h2>
                <ul>
                    <li>
                        Vous lisez le DMP d'un patient si vous faites partie de son équipe de soins,
                        ou avec son accord, sauf s'il vous a bloqué.
                    </li>
                    <li>Vous voyez seulement les documents utiles à votre profession.</li>
                    <li>Chaque accès est enregistré : le patient voit qui a consulté son DMP.</li>
                </ul>
                <BackLink to={paths.home}>Retour à l'accueil</BackLink>
            </div>
        </div>
    );
}
