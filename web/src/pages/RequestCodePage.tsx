import { fr } from "@codegouvfr/react-dsfr";
import { BackLink } from "../components/BackLink";
import { usePageTitle } from "../components/usePageTitle";
import { paths } from "../paths";

export function RequestCodePage() {
    usePageTitle("Demander mon code de création");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Demander mon code de création</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Bientôt, sur cette page, j'écrirai 2 fois mon numéro de sécurité sociale
                    pour recevoir mon code par mail ou par courrier.
                </p>
                <BackLink to={paths.create}>Retour à Créer mon DMP</BackLink>
            </div>
        </div>
    );
}
