import { useLocation } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";
import { BackLink } from "../shared/components/BackLink";
import { IdentitySummary, InfoList } from "../shared/components/IdentitySummary";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";
import { formatPhone, type Me } from "./patient";

export function MyInformationPage() {
    usePageTitle("Mes informations");
    return <RequirePatient>{(me) => <MyInformation me={me} />}</RequirePatient>;
}

function MyInformation(props: { me: Me }) {
    const { me } = props;
    const location = useLocation();
    const notice = noticeFrom(location.state);
    const { personal, contact } = me;
    const address = [personal.addressLine, [personal.postalCode, personal.city].filter(Boolean).join(" ")]
        .filter((part) => part !== null && part !== "")
        .join(", ");

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Mes informations</h1>
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}

                <h2>Mon identité</h2>
                <p>
                    Elle vient de ma carte Vitale. Si elle est fausse, je contacte ma caisse d'assurance maladie.
                </p>
                <IdentitySummary me={me} />

                <h2>Pour me joindre</h2>
                <InfoList
                    items={[
                        ["Identifiant de connexion", me.loginId],
                        ["Téléphone portable", formatPhone(contact.mobile) ?? "aucun"],
                        ["Adresse mail", contact.email ?? "aucune"],
                        ["Je reçois mon code de connexion", contact.codeChannel === "sms" ? "par SMS" : "par mail"],
                        ["Téléphone fixe", formatPhone(personal.landline)],
                        ["Adresse", address],
                        ["Pays", personal.country]
                    ]}
                />
                <ButtonsGroup
                    inlineLayoutWhen="md and up"
                    buttons={[
                        { children: "Changer mon portable", priority: "secondary", linkProps: { to: paths.changeMobile } },
                        { children: "Changer mon mail", priority: "secondary", linkProps: { to: paths.changeEmail } }
                    ]}
                />

                <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
            </div>
        </div>
    );
}
