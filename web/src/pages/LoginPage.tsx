import { fr } from "@codegouvfr/react-dsfr";
import { BackLink } from "../components/BackLink";
import { usePageTitle } from "../components/usePageTitle";
import { paths } from "../paths";

export function LoginPage() {
    usePageTitle("Accéder à mon DMP");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Accéder à mon DMP</h1>
                <h2>Comment je me connecte</h2>
                <ol>
                    <li>J'écris mon identifiant et mon mot de passe.</li>
                    <li>Je reçois un code de 8 chiffres, par SMS ou par mail.</li>
                    <li>J'écris ce code sur le site. Le code marche seulement 10 minutes.</li>
                </ol>
                <p>Je reçois un nouveau code à chaque connexion.</p>
                <p>
                    La première fois, je change mon mot de passe. Après, je garde toujours ce
                    nouveau mot de passe.
                </p>
                <p className={fr.cx("fr-text--bold")}>
                    Bientôt, je pourrai me connecter sur cette page.
                </p>
                <BackLink to={paths.home}>Retour à l'accueil</BackLink>
            </div>
        </div>
    );
}
