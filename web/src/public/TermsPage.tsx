import { fr } from "@codegouvfr/react-dsfr";
import { BackLink } from "../shared/components/BackLink";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";

export function TermsPage() {
    usePageTitle("Conditions d'utilisation");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Conditions d'utilisation du DMP</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Je lis ces règles avant de créer mon DMP. Elles sont courtes.
                </p>

                <h2>Le DMP, c'est quoi ?</h2>
                <ul>
                    <li>DMP veut dire Dossier Médical Partagé.</li>
                    <li>C'est mon carnet de santé sur internet.</li>
                    <li>Le DMP est gratuit.</li>
                    <li>Le DMP n'est pas obligatoire. Il est créé seulement si je suis d'accord.</li>
                    <li>
                        Dans mon DMP, il y a par exemple : mes résultats d'analyses, mes comptes rendus
                        d'hôpital, mes vaccins, mes médicaments.
                    </li>
                    <li>L'Assurance Maladie ajoute mes soins des 24 derniers mois.</li>
                    <li>Je peux ajouter mes propres documents.</li>
                </ul>

                <h2>Qui peut voir mon DMP ?</h2>
                <ul>
                    <li>Moi, toujours.</li>
                    <li>Mon médecin traitant, toujours.</li>
                    <li>
                        Les professionnels de santé qui me soignent. Ils voient seulement les documents utiles
                        pour leur métier.
                    </li>
                    <li>
                        Je peux bloquer un professionnel de santé. Il ne pourra plus voir mon DMP. Je ne peux
                        pas bloquer mon médecin traitant.
                    </li>
                    <li>Je peux cacher un document aux professionnels de santé.</li>
                    <li>
                        Je décide si un professionnel peut lire mon DMP en cas d'urgence, et si le médecin du
                        SAMU (le 15) peut le lire.
                    </li>
                    <li>
                        Ne peuvent <strong>jamais</strong> voir mon DMP : mon employeur, ma banque, mon
                        assurance, ma mutuelle.
                    </li>
                </ul>

                <h2>Je sais qui a vu mon DMP</h2>
                <ul>
                    <li>Chaque accès à mon DMP est enregistré.</li>
                    <li>Je peux voir la liste : qui a regardé mon DMP, quand, et ce qu'il a fait.</li>
                </ul>

                <h2>Mes informations sont protégées</h2>
                <ul>
                    <li>Mon DMP est sécurisé. Mes informations sont chiffrées.</li>
                    <li>Pour me connecter, il me faut mon identifiant, mon mot de passe et un code reçu par SMS ou par mail.</li>
                    <li>Les professionnels de santé doivent respecter le secret médical.</li>
                </ul>

                <h2>Je peux fermer mon DMP quand je veux</h2>
                <ul>
                    <li>Je peux fermer mon DMP à tout moment, sans donner de raison.</li>
                    <li>Mon DMP fermé est gardé 10 ans, puis il est détruit.</li>
                    <li>Pendant ces 10 ans, je peux rouvrir mon DMP.</li>
                    <li>Je peux aussi demander que mon DMP soit détruit tout de suite.</li>
                    <li>Je peux demander une copie de tout mon DMP.</li>
                </ul>

                <BackLink to={paths.createWithCode}>Retour à la création de mon DMP</BackLink>
            </div>
        </div>
    );
}
