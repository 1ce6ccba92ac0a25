import { useLocation } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";

const DEFAULT_MESSAGE =
    "Si votre numéro de sécurité sociale est connu, vous allez recevoir un code de création par mail, ou par courrier si nous n’avons pas votre mail.";

function messageFrom(state: unknown): string {
    if (state !== null && typeof state === "object" && "message" in state && typeof state.message === "string") {
        return state.message;
    }
    return DEFAULT_MESSAGE;
}

export function RequestCodeSentPage() {
    usePageTitle("Demande de code envoyée");
    const location = useLocation();

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Ma demande est envoyée</h1>
                <Alert severity="success" title="C'est fait" description={messageFrom(location.state)} as="h2" />
                <h2 className={fr.cx("fr-mt-4w")}>Et après ?</h2>
                <ul>
                    <li>Le code a 12 lettres et chiffres.</li>
                    <li>Par courrier, il arrive en quelques jours.</li>
                    <li>Quand j'ai mon code, je reviens sur ce site.</li>
                </ul>
                <ButtonsGroup
                    inlineLayoutWhen="md and up"
                    buttons={[
                        { children: "J'ai reçu mon code", linkProps: { to: paths.createWithCode } },
                        { children: "Retour à l'accueil", priority: "secondary", linkProps: { to: paths.home } }
                    ]}
                />
            </div>
        </div>
    );
}
