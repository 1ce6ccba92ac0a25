import { fr } from "@codegouvfr/react-dsfr";
import { BackLink } from "../shared/components/BackLink";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";

export function NotFoundPage() {
    usePageTitle("Page non trouvée");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Page non trouvée</h1>
                <p className={fr.cx("fr-text--sm", "fr-mb-3w")}>Erreur 404</p>
                <p className={fr.cx("fr-text--lead")}>Cette page n'existe pas.</p>
                <p>
                    L'adresse est peut-être mal écrite, ou la page a changé de place. Je peux
                    revenir à l'accueil.
                </p>
                <BackLink to={paths.home}>Retour à l'accueil</BackLink>
            </div>
        </div>
    );
}
