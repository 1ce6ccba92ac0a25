import { fr } from "@codegouvfr/react-dsfr";
import { BackLink } from "../components/BackLink";
import { usePageTitle } from "../components/usePageTitle";
import { paths } from "../paths";

export function CreateWithCodePage() {
    usePageTitle("J'ai reçu mon code de création");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>J'ai reçu mon code de création</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Bientôt, sur cette page, j'écrirai mon code de création, mon numéro de
                    sécurité sociale et le numéro de série de ma carte Vitale.
                </p>
                <BackLink to={paths.create}>Retour à Créer mon DMP</BackLink>
            </div>
        </div>
    );
}
