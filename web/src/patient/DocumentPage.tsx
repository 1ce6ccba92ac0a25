import { useEffect, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { DocumentContent } from "../shared/components/DocumentContent";
import { problemMessage } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { useDialogFocus } from "../shared/components/useDialogFocus";
import {
    addedByMe,
    authorLabel,
    categoryLabel,
    documentApi,
    formatCareDate,
    formatDateTime,
    formatLabel,
    formatSize,
    typeLabel,
    type DocumentSummary
} from "../shared/documents";
import "../shared/documents.css";
import { paths } from "../shared/paths";
import type { Me } from "./patient";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The confirmation before a deletion (one modal for the page, as the DSFR wants it). */
const deleteModal = createModal({ id: "confirmer-suppression", isOpenedByDefault: false });

export function DocumentPage() {
    const { documentId = "" } = useParams();
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title="Mon document" />
                ) : (
                    <DocumentViewer me={me} recordId={me.currentRecordId} documentId={documentId} />
                )
            }
        </RequirePatient>
    );
}

type State =
    | { kind: "loading" }
    | { kind: "ready"; document: DocumentSummary }
    | { kind: "missing" }
    | { kind: "error"; message: string };

function DocumentViewer(props: { me: Me; recordId: string; documentId: string }) {
    const { me, recordId, documentId } = props;
    const navigate = useNavigate();
    const [state, setState] = useState<State>(UUID.test(documentId) ? { kind: "loading" } : { kind: "missing" });
    const [notice, setNotice] = useState<string | null>(null);
    const [actionError, setActionError] = useState<string | null>(null);
    const [busy, setBusy] = useState(false);
    // After «Oui», the list of documents takes the focus (a new page); otherwise «Supprimer» gets it back.
    useDialogFocus(deleteModal.id);
    usePageTitle(state.kind === "ready" ? state.document.title : "Mon document");

    useEffect(() => {
        if (!UUID.test(documentId)) {
            return;
        }
        let live = true;
        void apiFetch<DocumentSummary>(documentApi(recordId, documentId)).then((result) => {
            if (!live) return;
            if (result.ok) {
                setState({ kind: "ready", document: result.data });
            } else if (result.status === 404) {
                setState({ kind: "missing" });
            } else {
                setState({ kind: "error", message: problemMessage(result.problem) });
            }
        });
        return () => {
            live = false;
        };
    }, [recordId, documentId]);

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
                <h1>Mon document</h1>
                <Alert
                    severity="error"
                    title={state.kind === "missing" ? "Ce document n'existe pas" : "Nous n'avons pas pu ouvrir ce document"}
                    description={
                        state.kind === "missing"
                            ? "Il n'est pas dans ce DMP, ou il a été supprimé."
                            : state.message
                    }
                    role="alert"
                    as="h2"
                />
                <BackLink to={paths.documents}>Retour à mes documents</BackLink>
            </>
        );
    }

    const document = state.document;
    const url = documentApi(recordId, documentId);
    const mine = addedByMe(document, me.loginId);

    async function toggleMask() {
        setBusy(true);
        setActionError(null);
        setNotice(null);
        const masked = !document.masked;
        const result = await apiFetch<{ masked: boolean }>(`${url}/mask`, { method: "POST", body: { masked } });
        setBusy(false);
        if (!result.ok) {
            setActionError(problemMessage(result.problem));
            return;
        }
        setState({ kind: "ready", document: { ...document, masked } });
        setNotice(
            masked
                ? "C'est fait. Les professionnels de santé ne voient plus ce document."
                : "C'est fait. Les professionnels de santé peuvent de nouveau voir ce document."
        );
    }

    async function remove() {
        setBusy(true);
        setActionError(null);
        const result = await apiFetch<void>(url, { method: "DELETE" });
        setBusy(false);
        deleteModal.close();
        if (!result.ok) {
            setActionError(problemMessage(result.problem));
            return;
        }
        navigate(paths.documents, { state: { notice: `Le document « ${document.title} » est supprimé.` } });
    }

    return (
        <>
            <BackLink to={paths.documents}>Retour à mes documents</BackLink>
            <h1>{document.title}</h1>
            <CurrentRecordNotice me={me} />

            <div role="status">
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}
            </div>
            {actionError !== null && (
                <Alert className={fr.cx("fr-mb-3w")} severity="error" small description={actionError} role="alert" />
            )}

            <dl className="dmp-meta">
                <dt>Catégorie</dt>
                <dd>
                    <Tag as="span" small>
                        {categoryLabel(document.category)}
                    </Tag>
                </dd>
                <dt>Type</dt>
                <dd>{typeLabel(document.typeCode)}</dd>
                <dt>Date des soins</dt>
                <dd>{formatCareDate(document.careDate)}</dd>
                <dt>Auteur</dt>
                <dd>{authorLabel(document, me.loginId)}</dd>
                <dt>Ajouté le</dt>
                <dd>{formatDateTime(document.createdAt)}</dd>
                <dt>Fichier</dt>
                <dd>
                    {formatLabel(document.format)}, {formatSize(document.sizeBytes)}
                </dd>
                <dt>Accès des professionnels</dt>
                <dd>
                    {document.masked ? (
                        <>
                            <Badge as="span" small severity="warning">
                                Masqué
                            </Badge>{" "}
                            Les professionnels de santé ne voient pas ce document. Seuls son auteur et mon médecin
                            traitant le voient.
                        </>
                    ) : (
                        "Les professionnels de santé qui ont le droit de voir mon DMP voient ce document."
                    )}
                </dd>
            </dl>

            <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
                <li>
                    <a
                        className={fr.cx("fr-btn", "fr-icon-download-line", "fr-btn--icon-left")}
                        href={`${url}/content?download=1`}
                        download
                    >
                        Télécharger
                    </a>
                </li>
                {/* Masking is the patient's sharing decision, never a proche aidant's. */}
                {me.records.find((r) => r.recordId === recordId)?.role !== "caregiver" && (
                    <li>
                        <Button
                            priority="secondary"
                            iconId={document.masked ? "fr-icon-eye-line" : "fr-icon-eye-off-line"}
                            disabled={busy}
                            onClick={() => void toggleMask()}
                        >
                            {document.masked ? "Autoriser à nouveau l'accès aux professionnels" : "Interdire l'accès aux professionnels"}
                        </Button>
                    </li>
                )}
                {mine && (
                    <li>
                        <Button
                            priority="tertiary"
                            iconId="fr-icon-delete-line"
                            disabled={busy}
                            nativeButtonProps={deleteModal.buttonProps}
                        >
                            Supprimer
                        </Button>
                    </li>
                )}
            </ul>

            <h2 className={fr.cx("fr-mt-4w")}>Le contenu du document</h2>
            <DocumentContent document={document} url={url} reader="patient" />

            {mine && (
                <deleteModal.Component
                    title="Supprimer ce document ?"
                    buttons={[
                        { children: "Non, je le garde", priority: "secondary" },
                        {
                            children: "Oui, je supprime",
                            iconId: "fr-icon-delete-line",
                            doClosesModal: false,
                            disabled: busy,
                            onClick: () => void remove()
                        }
                    ]}
                >
                    <p>
                        Je vais supprimer « {document.title} » de mon DMP. Je ne pourrai pas le récupérer.
                    </p>
                </deleteModal.Component>
            )}
        </>
    );
}
