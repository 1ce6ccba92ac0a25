import { fr } from "@codegouvfr/react-dsfr";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import DocumentAdd from "@codegouvfr/react-dsfr/picto/DocumentAdd";
import Avatar from "@codegouvfr/react-dsfr/picto/Avatar";
import Doctor from "@codegouvfr/react-dsfr/picto/Doctor";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";

export function HomePage() {
    usePageTitle("Accueil");

    return (
        <>
            <h1>Le DMP est un carnet de santé sur internet.</h1>
            <div className={fr.cx("fr-grid-row")}>
                <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                    <p className={fr.cx("fr-text--lead")}>DMP veut dire Dossier Médical Partagé.</p>
                    <ul>
                        <li>Le DMP est gratuit.</li>
                        <li>Le DMP est sécurisé. Mes informations de santé sont protégées.</li>
                        <li>Je décide qui peut voir mon DMP.</li>
                        <li>
                            Mes médecins lisent mon DMP. Ils ajoutent des documents, par exemple
                            mes résultats d'analyses.
                        </li>
                        <li>
                            L'Assurance Maladie ajoute mes soins des 24 derniers mois. Par exemple
                            mes consultations et mes médicaments.
                        </li>
                    </ul>
                </div>
            </div>

            <h2 className={fr.cx("fr-mt-6w")}>Je choisis ce que je veux faire</h2>
            <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
                <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                    <Tile
                        title="Créer mon DMP"
                        titleAs="h3"
                        desc="Je n'ai pas encore de DMP."
                        linkProps={{ to: paths.create }}
                        enlargeLinkOrButton
                        pictogram={<DocumentAdd />}
                    />
                </li>
                <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                    <Tile
                        title="Accéder à mon DMP"
                        titleAs="h3"
                        desc="J'ai déjà un DMP. J'ai mon identifiant."
                        linkProps={{ to: paths.login }}
                        enlargeLinkOrButton
                        pictogram={<Avatar />}
                    />
                </li>
                <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                    <Tile
                        title="Espace professionnel"
                        titleAs="h3"
                        desc="Je suis un professionnel de santé."
                        linkProps={{ to: paths.pro }}
                        enlargeLinkOrButton
                        pictogram={<Doctor />}
                    />
                </li>
            </ul>
        </>
    );
}
