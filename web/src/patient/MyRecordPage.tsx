import { useState } from "react";
import { useLocation } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import Avatar from "@codegouvfr/react-dsfr/picto/Avatar";
import Community from "@codegouvfr/react-dsfr/picto/Community";
import Health from "@codegouvfr/react-dsfr/picto/Health";
import JusticeScales from "@codegouvfr/react-dsfr/picto/JusticeScales";
import DocumentPicto from "@codegouvfr/react-dsfr/picto/Document";
import Search from "@codegouvfr/react-dsfr/picto/Search";
import Notification from "@codegouvfr/react-dsfr/picto/Notification";
import Doctor from "@codegouvfr/react-dsfr/picto/Doctor";
import { apiFetch } from "../shared/api";
import { problemMessage } from "../shared/components/forms";
import { LogoutButton } from "../shared/components/LogoutButton";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";
import { firstFirstName, recordLabel, type Me } from "./patient";
import { ClosedRecord } from "./ClosedRecord";

export function MyRecordPage() {
    usePageTitle("Mon DMP");
    return <RequirePatient>{(me, reload) => <MyRecord me={me} reload={reload} />}</RequirePatient>;
}

function MyRecord(props: { me: Me; reload: () => Promise<void> }) {
    const { me } = props;
    const location = useLocation();
    const notice = noticeFrom(location.state);
    const [switchError, setSwitchError] = useState<string | null>(null);
    const [switching, setSwitching] = useState(false);
    const current = me.records.find((record) => record.recordId === me.currentRecordId) ?? null;
    const others = me.records.filter((record) => record.recordId !== me.currentRecordId);
    // A closed record's home is the closed screen: reactivate, take a copy, or delete it (DOMAIN.md §7).
    const closed = current !== null && current.status === "closed";
    // A proche aidant reads and adds documents: the record's settings, health profile and history are not theirs.
    const caregiver = current?.role === "caregiver";

    async function switchTo(recordId: string) {
        setSwitching(true);
        setSwitchError(null);
        const result = await apiFetch<unknown>("/api/me/current-record", { method: "PUT", body: { recordId } });
        setSwitching(false);
        if (!result.ok) {
            setSwitchError(problemMessage(result.problem));
            return;
        }
        await props.reload();
    }

    return (
        <>
            {current !== null && closed ? (
                <ClosedRecord record={current} notice={notice} reload={props.reload} />
            ) : (
                <>
                    <h1>Bonjour {firstFirstName(me.identity.firstNames)}</h1>
                    {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}
                </>
            )}

            {me.records.length > 1 && current !== null && (
                <div className={fr.cx(closed ? "fr-mt-6w" : "fr-mb-4w")}>
                    <p className={fr.cx("fr-text--lead", "fr-mb-1w")}>
                        Je suis dans le DMP de <strong>{recordLabel(current)}</strong>.
                    </p>
                    <h2 className={fr.cx("fr-h5")}>Ouvrir un autre DMP</h2>
                    <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--sm")}>
                        {others.map((record) => (
                            <li key={record.recordId}>
                                <Button
                                    priority="secondary"
                                    size="small"
                                    disabled={switching}
                                    onClick={() => void switchTo(record.recordId)}
                                >
                                    Ouvrir le DMP de {recordLabel(record)}
                                </Button>
                            </li>
                        ))}
                    </ul>
                    {switchError !== null && (
                        <Alert severity="error" small description={switchError} role="alert" />
                    )}
                </div>
            )}

            {!closed && (
                <>
                    <h2>Je choisis ce que je veux faire</h2>
                    <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
                        <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                            <Tile
                                title="Mes documents"
                                titleAs="h3"
                                desc="Voir, ajouter et masquer mes documents de santé."
                                linkProps={{ to: paths.documents }}
                                enlargeLinkOrButton
                                pictogram={<DocumentPicto />}
                            />
                        </li>
                        {!caregiver && (
                        <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                            <Tile
                                title="Ma santé"
                                titleAs="h3"
                                desc="Mes maladies, allergies, traitements et vaccins."
                                linkProps={{ to: paths.myHealth }}
                                enlargeLinkOrButton
                                pictogram={<Health />}
                            />
                        </li>
                        )}
                        {!caregiver && (
                        <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                            <Tile
                                title="Volontés et droits"
                                titleAs="h3"
                                desc="Don d'organes, personne de confiance, personnes à prévenir, directives anticipées."
                                linkProps={{ to: paths.myWishes }}
                                enlargeLinkOrButton
                                pictogram={<JusticeScales />}
                            />
                        </li>
                        )}
                        {!caregiver && (
                        <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                            <Tile
                                title="Gestion du DMP"
                                titleAs="h3"
                                desc="Qui peut lire mon DMP : mes professionnels de santé, les accès bloqués, l'urgence."
                                linkProps={{ to: paths.sharing }}
                                enlargeLinkOrButton
                                pictogram={<Doctor />}
                            />
                        </li>
                        )}
                        {!caregiver && (
                        <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                            <Tile
                                title="Historique des accès"
                                titleAs="h3"
                                desc="Qui a consulté ou modifié mon DMP, quand et pourquoi."
                                linkProps={{ to: paths.history }}
                                enlargeLinkOrButton
                                pictogram={<Search />}
                            />
                        </li>
                        )}
                        <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                            <Tile
                                title="Mes notifications"
                                titleAs="h3"
                                desc="Les messages que je reçois quand quelque chose se passe dans mon DMP."
                                linkProps={{ to: paths.notifications }}
                                enlargeLinkOrButton
                                pictogram={<Notification />}
                            />
                        </li>
                        <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                            <Tile
                                title="Mes informations"
                                titleAs="h3"
                                desc="Mon identité, mon portable, mon mail."
                                linkProps={{ to: paths.myInformation }}
                                enlargeLinkOrButton
                                pictogram={<Avatar />}
                            />
                        </li>
                        {me.kind !== "caregiver" && (
                        <li className={fr.cx("fr-col-12", "fr-col-md-4")}>
                            <Tile
                                title="Mes proches"
                                titleAs="h3"
                                desc="Créer et ouvrir le DMP de mes enfants."
                                linkProps={{ to: paths.relatives }}
                                enlargeLinkOrButton
                                pictogram={<Community />}
                            />
                        </li>
                        )}
                    </ul>
                </>
            )}

            <div className={fr.cx("fr-mt-6w")}>
                <LogoutButton />
            </div>
        </>
    );
}
