import { useCallback, useEffect, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { formatDate } from "../patient/patient";
import { paths } from "../shared/paths";
import { provedIdentity, proPatientPath, recordApi, type Professional, type ProRecord } from "./pro";
import { BackLink } from "../shared/components/BackLink";
import { problemMessage } from "../shared/components/forms";
import { RequireProfessional } from "./RequireProfessional";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type State =
    | { kind: "loading" }
    | { kind: "ready"; record: ProRecord }
    | { kind: "missing" }
    | { kind: "error"; message: string };

/** GET /api/pro/records/:recordId, for the record named in the address. */
function useProRecord(recordId: string) {
    const [state, setState] = useState<State>(UUID.test(recordId) ? { kind: "loading" } : { kind: "missing" });

    const load = useCallback(async () => {
        if (!UUID.test(recordId)) {
            setState({ kind: "missing" });
            return;
        }
        const result = await apiFetch<ProRecord>(recordApi(recordId));
        if (result.ok) {
            // Refused, the service keeps the identity back: the lookup's, if this tab made it, stands in.
            const record = result.data.patient === null ? { ...result.data, patient: provedIdentity(recordId) } : result.data;
            setState({ kind: "ready", record });
        } else if (result.status === 404 || result.status === 400) {
            setState({ kind: "missing" });
        } else {
            setState({ kind: "error", message: problemMessage(result.problem) });
        }
    }, [recordId]);

    useEffect(() => {
        void load();
    }, [load]);

    return { state, reload: load };
}

/**
 * The professional screens of one patient's record: a signed-in professional (else /pro),
 * then the record of the address (:recordId), then `children`.
 */
export function RequireProRecord(props: {
    title: string;
    children: (professional: Professional, record: ProRecord, reload: () => Promise<void>) => ReactNode;
}) {
    const { recordId = "" } = useParams();
    return (
        <RequireProfessional>
            {(professional) => (
                <LoadedRecord recordId={recordId} title={props.title}>
                    {(record, reload) => props.children(professional, record, reload)}
                </LoadedRecord>
            )}
        </RequireProfessional>
    );
}

function LoadedRecord(props: {
    recordId: string;
    title: string;
    children: (record: ProRecord, reload: () => Promise<void>) => ReactNode;
}) {
    const { state, reload } = useProRecord(props.recordId);
    if (state.kind === "loading") {
        return (
            <p role="status" className={fr.cx("fr-text--lead")}>
                Chargement…
            </p>
        );
    }
    if (state.kind === "missing" || state.kind === "error") {
        return (
            <>
                <h1>{props.title}</h1>
                <Alert
                    severity="error"
                    title={state.kind === "missing" ? "Ce DMP n'existe pas" : "Nous n'avons pas pu ouvrir ce DMP"}
                    description={
                        state.kind === "missing"
                            ? "L'adresse ne correspond à aucun DMP. Cherchez le patient avec son matricule INS."
                            : state.message
                    }
                    role="alert"
                    as="h2"
                />
                {state.kind === "error" && (
                    <Button className={fr.cx("fr-mt-3w")} onClick={() => void reload()}>
                        Réessayer
                    </Button>
                )}
                <BackLink to={paths.proSpace}>Retour à mon espace</BackLink>
            </>
        );
    }
    return <>{props.children(state.record, reload)}</>;
}

/** «Femme, née le 28/03/1979». */
export function birthLine(record: ProRecord): string | null {
    const patient = record.patient;
    if (patient === null) {
        return null;
    }
    const born = patient.sex === "F" ? "Femme, née" : patient.sex === "M" ? "Homme, né" : "Né(e)";
    return `${born} le ${formatDate(patient.birthDate)}`;
}

/** Under the h1 of a screen about one patient: who the patient is. */
export function PatientReminder(props: { record: ProRecord }) {
    const { record } = props;
    const line = birthLine(record);
    return (
        <p className={fr.cx("fr-text--lead")}>
            Patient :{" "}
            <strong>
                {record.patient === null ? "identité inconnue" : `${record.patient.firstNames} ${record.patient.birthName}`}
            </strong>
            {line !== null && <>, {line.charAt(0).toLowerCase() + line.slice(1)}</>}.
        </p>
    );
}

/** «Retour au dossier du patient»: a link with the record's id (BackLink only takes fixed paths). */
export function BackToPatient(props: { recordId: string }) {
    return (
        <p className={fr.cx("fr-mt-4w")}>
            <Link
                to={proPatientPath(props.recordId)}
                className={fr.cx("fr-link", "fr-icon-arrow-left-line", "fr-link--icon-left")}
            >
                Retour au dossier du patient
            </Link>
        </p>
    );
}
