import { fr } from "@codegouvfr/react-dsfr";
import { BackLink } from "../components/BackLink";
import { usePageTitle } from "../components/usePageTitle";
import { paths } from "../paths";

export function ProPage() {
    usePageTitle("Espace professionnel");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Espace professionnel</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Vous êtes professionnel de santé ? Vous vous connectez avec Pro Santé
                    Connect : e-CPS ou carte CPS.
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
                <p className={fr.cx("fr-text--bold")}>
                    Bientôt, vous pourrez vous connecter sur cette page.
                </p>
                <BackLink to={paths.home}>Retour à l'accueil</BackLink>
            </div>
        </div>
    );
}
