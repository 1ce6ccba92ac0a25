import { fr } from "@codegouvfr/react-dsfr";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import Internet from "@codegouvfr/react-dsfr/picto/Internet";
import CityHall from "@codegouvfr/react-dsfr/picto/CityHall";
import Doctor from "@codegouvfr/react-dsfr/picto/Doctor";
import { BackLink } from "../shared/components/BackLink";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";

export function CreatePage() {
    usePageTitle("Créer mon DMP");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Créer mon DMP</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Créer mon DMP est gratuit. Je crée mon DMP seulement si je suis d'accord.
                </p>

                <h2 className={fr.cx("fr-mt-4w")}>Ce que je dois avoir</h2>
                <ul>
                    <li>Ma carte Vitale. C'est ma carte de sécurité sociale.</li>
                    <li>Mon numéro de téléphone portable ou mon adresse mail.</li>
                </ul>
            </div>
            <div className={fr.cx("fr-col-12")}>
                <h2 className={fr.cx("fr-mt-4w")}>Je peux créer mon DMP de 3 façons</h2>
                <ol className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
                    <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                        <Tile
                            title="1. Seul, sur ce site internet"
                            titleAs="h3"
                            pictogram={<Internet />}
                            desc={
                                <>
                                    Je demande un code spécial : le code de création.
                                    <br />
                                    Je le reçois par mail, ou par courrier.
                                </>
                            }
                        />
                    </li>
                    <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                        <Tile
                            title="2. À l'accueil de ma caisse d'assurance maladie"
                            titleAs="h3"
                            pictogram={<CityHall />}
                            desc={
                                <>
                                    J'apporte ma carte Vitale.
                                    <br />
                                    Un agent crée mon DMP avec moi.
                                </>
                            }
                        />
                    </li>
                    <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                        <Tile
                            title="3. Avec un professionnel de santé"
                            titleAs="h3"
                            pictogram={<Doctor />}
                            desc={
                                <>
                                    Mon médecin traitant ou mon pharmacien me demande si je suis
                                    d'accord.
                                    <br />
                                    J'apporte ma carte Vitale. Cela prend environ 5 minutes.
                                </>
                            }
                        />
                    </li>
                </ol>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <p className={fr.cx("fr-mt-3w")}>
                    À la fin, je reçois mon identifiant et mon mot de passe. Je garde toujours mon
                    identifiant.
                </p>

                <h2 className={fr.cx("fr-mt-4w")}>Je crée mon DMP seul, sur ce site</h2>
                <p>Pour commencer, il me faut le code de création. Ce code a 12 lettres et chiffres.</p>
                <p>Est-ce que j'ai reçu mon code de création ?</p>
                <ButtonsGroup
                    inlineLayoutWhen="md and up"
                    buttons={[
                        {
                            children: "J'ai reçu mon code de création",
                            linkProps: { to: paths.createWithCode }
                        },
                        {
                            children: "Je n'ai pas de code",
                            priority: "secondary",
                            linkProps: { to: paths.requestCode }
                        }
                    ]}
                />

                <BackLink to={paths.home}>Retour à l'accueil</BackLink>
            </div>
        </div>
    );
}
