import { fr } from "@codegouvfr/react-dsfr";
import { BackLink } from "../shared/components/BackLink";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";

export function AccessibilityPage() {
    usePageTitle("Accessibilité");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Déclaration d'accessibilité</h1>
                <h2>État de conformité</h2>
                <p>
                    Le site Mon DMP est <strong>non conforme</strong> au RGAA (référentiel
                    général d'amélioration de l'accessibilité). Il n'a pas encore été audité.
                </p>
                <p>
                    Nous construisons ce site pour qu'il soit facile à lire et à utiliser, avec le
                    clavier et avec un lecteur d'écran.
                </p>
                <p>Cette déclaration sera complétée après un audit.</p>
                <BackLink to={paths.home}>Retour à l'accueil</BackLink>
            </div>
        </div>
    );
}
