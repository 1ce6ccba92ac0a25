import { useEffect, useState } from "react";
import { useLocation } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { problemMessage } from "../shared/components/forms";
import { EntrySection, ProfileStatus, useHealthProfile } from "../shared/components/HealthEntryList";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { DIRECTIVES_CATEGORY, type TreatingDoctor } from "./healthProfile";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";
import { formatDate, type Me } from "./patient";

/**
 * «Volontés et droits»: organ donation, trusted person, people to warn, advance directives
 * (documents of the record) and the médecin traitant (read-only, from the Assurance Maladie).
 */
export function WishesPage() {
    usePageTitle("Volontés et droits");
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? <NoCurrentRecord title="Volontés et droits" /> : <Wishes me={me} recordId={me.currentRecordId} />
            }
        </RequirePatient>
    );
}

const REFUSALS_REGISTER = "https://www.registrenationaldesrefus.fr/";

function Wishes(props: { me: Me; recordId: string }) {
    const notice = noticeFrom(useLocation().state);
    const { state } = useHealthProfile(props.recordId);
    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Volontés et droits</h1>
                <CurrentRecordNotice me={props.me} />
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}
                <p className={fr.cx("fr-text--lead")}>
                    J'écris ici ce que je veux que les soignants sachent si un jour je ne peux plus m'exprimer, et qui
                    prévenir.
                </p>
                <ProfileStatus state={state} />
                {state.kind === "ready" && (
                    <>
                        <EntrySection
                            kind="organ-donation"
                            entries={state.profile.entries["organ-donation"]}
                            noDelete
                            intro={
                                <p>
                                    En France, la loi dit que toute personne peut donner ses organes après sa mort, sauf si
                                    elle a dit non. J'écris ici ma position pour que mes proches et les soignants la
                                    connaissent. Pour refuser officiellement, je m'inscris aussi sur le{" "}
                                    <a href={REFUSALS_REGISTER} target="_blank" rel="noopener noreferrer" title="registre national des refus - nouvelle fenêtre">
                                        registre national des refus
                                    </a>
                                    .
                                </p>
                            }
                        />
                        <EntrySection
                            kind="trusted-person"
                            entries={state.profile.entries["trusted-person"]}
                            intro={
                                <p>
                                    Elle m'accompagne dans mes rendez-vous médicaux si je le veux. Si un jour je ne peux plus
                                    m'exprimer, les médecins lui demandent ce que j'aurais voulu. J'en choisis une seule.
                                </p>
                            }
                        />
                        <EntrySection
                            kind="emergency-contact"
                            entries={state.profile.entries["emergency-contact"]}
                            intro={<p>Les soignants les appellent s'il m'arrive quelque chose. J'en choisis 3 au plus.</p>}
                        />
                    </>
                )}
                <Directives recordId={props.recordId} />
                {state.kind === "ready" && <TreatingDoctorSection doctor={state.profile.treatingDoctor} />}
                <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
            </div>
        </div>
    );
}

interface DirectiveDocument {
    documentId: string;
    title: string;
    createdAt: string;
}

type DirectivesState = { kind: "loading" } | { kind: "ready"; documents: DirectiveDocument[] } | { kind: "error"; message: string };

function Directives(props: { recordId: string }) {
    const [state, setState] = useState<DirectivesState>({ kind: "loading" });
    const base = `/api/records/${encodeURIComponent(props.recordId)}/documents`;

    useEffect(() => {
        let live = true;
        void apiFetch<{ documents: DirectiveDocument[] }>(`${base}?category=${DIRECTIVES_CATEGORY}&limit=100`).then((result) => {
            if (!live) return;
            setState(result.ok ? { kind: "ready", documents: result.data.documents } : { kind: "error", message: problemMessage(result.problem) });
        });
        return () => {
            live = false;
        };
    }, [base]);

    return (
        <section className={fr.cx("fr-mb-6w")} aria-labelledby="rubrique-directives">
            <h2 id="rubrique-directives">Mes directives anticipées</h2>
            <p>
                J'écris ce que je veux pour la fin de ma vie : les soins que j'accepte et ceux que je refuse, si un jour je
                ne peux plus le dire. Les médecins doivent les respecter. Je peux les changer quand je veux.
            </p>
            {state.kind === "loading" && <p role="status">Chargement…</p>}
            {state.kind === "error" && <Alert severity="error" small description={state.message} role="alert" />}
            {state.kind === "ready" &&
                (state.documents.length === 0 ? (
                    <p>Je n'ai pas encore écrit mes directives anticipées.</p>
                ) : (
                    <ul className={fr.cx("fr-raw-list", "fr-mb-3w")}>
                        {state.documents.map((document) => (
                            <li key={document.documentId} className={`dmp-entry ${fr.cx("fr-py-2w")}`}>
                                <p className={fr.cx("fr-mb-1v")}>
                                    <strong>{document.title}</strong>
                                </p>
                                <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>Ajouté le {formatDate(document.createdAt)}</p>
                                <a
                                    className={fr.cx("fr-link")}
                                    href={`${base}/${encodeURIComponent(document.documentId)}/content`}
                                    target="_blank"
                                    rel="noopener"
                                    title={`Lire : ${document.title} - nouvelle fenêtre`}
                                >
                                    Lire<span className={fr.cx("fr-sr-only")}> : {document.title}</span>
                                </a>
                            </li>
                        ))}
                    </ul>
                ))}
            <Button priority="secondary" iconId="fr-icon-add-line" linkProps={{ to: paths.myDirectivesAdd }}>
                Ajouter mes directives anticipées
            </Button>
        </section>
    );
}

function TreatingDoctorSection(props: { doctor: TreatingDoctor | null }) {
    const { doctor } = props;
    return (
        <section className={fr.cx("fr-mb-4w")} aria-labelledby="rubrique-medecin-traitant">
            <h2 id="rubrique-medecin-traitant">Mon médecin traitant</h2>
            {doctor === null ? (
                <p>L'Assurance Maladie ne connaît pas de médecin traitant pour moi.</p>
            ) : (
                <ul className={fr.cx("fr-raw-list", "fr-mb-2w")}>
                    <li>
                        <strong>{doctor.name}</strong>
                    </li>
                    <li>{doctor.specialty !== null ? `${doctor.profession}, ${doctor.specialty.toLowerCase()}` : doctor.profession}</li>
                    <li>{doctor.workplace}</li>
                </ul>
            )}
            <p className={fr.cx("fr-text--sm")}>
                Cette information vient de l'Assurance Maladie. Pour changer de médecin traitant, je le demande au nouveau
                médecin : il fait la déclaration.
            </p>
        </section>
    );
}
