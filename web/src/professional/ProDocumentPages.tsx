import { useEffect, useState, type FormEvent } from "react";
import { useLocation, useNavigate, useParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { apiFetch } from "../shared/api";
import { FormAlert, TextField, problemMessage, useFormErrors, type FieldErrors } from "../shared/components/forms";
import { BackToPatient, PatientReminder, RequireProRecord } from "./ProRecordFrame";
import { usePageTitle } from "../shared/components/usePageTitle";
import {
    FILE_ACCEPT,
    categoryLabel,
    checkFile,
    formatCareDate,
    formatDateTime,
    formatLabel,
    formatSize,
    isIsoDate,
    todayIso,
    typeLabel,
    type DocumentSummary
} from "../shared/documents";
import "../shared/documents.css";
import "./pro.css";
import {
    PROFESSIONAL_TYPE_GROUPS,
    patientName,
    proAuthorLabel,
    proDocumentApi,
    proDocumentsApi,
    proPatientPath,
    type Professional,
    type ProDocumentList,
    type ProRecord
} from "./pro";
import { DocumentContent } from "../shared/components/DocumentContent";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** /pro/patients/:recordId/documents/:documentId: one document, read by a professional. */
export function ProDocumentPage() {
    usePageTitle("Document du patient");
    return (
        <RequireProRecord title="Document du patient">
            {(professional, record) => <ProDocument professional={professional} record={record} />}
        </RequireProRecord>
    );
}

type State =
    | { kind: "loading" }
    | { kind: "ready"; document: DocumentSummary }
    | { kind: "missing" }
    | { kind: "error"; message: string };

function documentFromState(state: unknown, documentId: string): DocumentSummary | null {
    if (state !== null && typeof state === "object" && "document" in state) {
        const document = (state as { document: unknown }).document;
        if (document !== null && typeof document === "object" && (document as DocumentSummary).documentId === documentId) {
            return document as DocumentSummary;
        }
    }
    return null;
}

/**
 * The API has no «one document» description for professionals: the list gives it. The page
 * comes from the list with the description in the navigation state; after a reload, the list
 * is read again (100 at a time) to find it.
 */
async function findInList(recordId: string, documentId: string): Promise<State> {
    for (let offset = 0; offset < 2000; offset += 100) {
        const result = await apiFetch<ProDocumentList>(`${proDocumentsApi(recordId)}?limit=100&offset=${offset}`);
        if (!result.ok) {
            return { kind: "error", message: problemMessage(result.problem) };
        }
        const found = result.data.documents.find((d) => d.documentId === documentId);
        if (found !== undefined) {
            return { kind: "ready", document: found };
        }
        if (offset + 100 >= result.data.total) {
            break;
        }
    }
    return { kind: "missing" };
}

function ProDocument(props: { professional: Professional; record: ProRecord }) {
    const { professional, record } = props;
    const { documentId = "" } = useParams();
    const location = useLocation();
    const given = documentFromState(location.state, documentId);
    const [state, setState] = useState<State>(
        given !== null ? { kind: "ready", document: given } : UUID.test(documentId) ? { kind: "loading" } : { kind: "missing" }
    );
    usePageTitle(state.kind === "ready" ? state.document.title : "Document du patient");

    useEffect(() => {
        if (state.kind !== "loading") {
            return;
        }
        let live = true;
        void findInList(record.recordId, documentId).then((next) => {
            if (live) setState(next);
        });
        return () => {
            live = false;
        };
    }, [state.kind, record.recordId, documentId]);

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
                <h1>Document du patient</h1>
                <Alert
                    severity="error"
                    title={state.kind === "missing" ? "Ce document n'est pas disponible" : "Vous ne pouvez pas lire ce document"}
                    description={
                        state.kind === "missing"
                            ? "Il n'est pas dans ce DMP, il a été supprimé, ou votre profession ne peut pas le lire."
                            : state.message
                    }
                    role="alert"
                    as="h2"
                />
                <BackToPatient recordId={record.recordId} />
            </>
        );
    }

    const document = state.document;
    const url = proDocumentApi(record.recordId, document.documentId);
    return (
        <>
            <BackToPatient recordId={record.recordId} />
            <h1>{document.title}</h1>
            <PatientReminder record={record} />
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
                <dd>{proAuthorLabel(document, professional.rpps)}</dd>
                <dt>Ajouté le</dt>
                <dd>{formatDateTime(document.createdAt)}</dd>
                <dt>Fichier</dt>
                <dd>
                    {formatLabel(document.format)}, {formatSize(document.sizeBytes)}
                </dd>
                {(document.masked || document.hiddenFromPatient) && (
                    <>
                        <dt>Visibilité</dt>
                        <dd>
                            {document.masked && (
                                <>
                                    <Badge as="span" small severity="warning">
                                        Masqué
                                    </Badge>{" "}
                                    Le patient a masqué ce document aux professionnels.{" "}
                                </>
                            )}
                            {document.hiddenFromPatient && (
                                <>
                                    <Badge as="span" small severity="info">
                                        Invisible pour le patient
                                    </Badge>{" "}
                                    Le patient ne voit pas encore ce document.
                                </>
                            )}
                        </dd>
                    </>
                )}
            </dl>
            <p>
                <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-download-line", "fr-btn--icon-left")} href={`${url}/content`} download>
                    Télécharger
                </a>
            </p>
            <h2 className={fr.cx("fr-mt-4w")}>Le contenu du document</h2>
            <DocumentContent document={document} url={url} reader="professional" />
        </>
    );
}

type DepositField = "typeCode" | "title" | "careDate" | "file";
const DEPOSIT_FIELDS: readonly DepositField[] = ["typeCode", "title", "careDate", "file"];
const TITLE_MAX = 200;

/** /pro/patients/:recordId/deposer: a professional adds a document to the patient's record. */
export function ProDepositPage() {
    usePageTitle("Déposer un document");
    return (
        <RequireProRecord title="Déposer un document">
            {(_professional, record) => <Deposit record={record} />}
        </RequireProRecord>
    );
}

function isXml(file: File | null): boolean {
    return file !== null && /\.xml$/i.test(file.name);
}

function Deposit(props: { record: ProRecord }) {
    const { record } = props;
    const navigate = useNavigate();
    const form = useFormErrors<DepositField>();
    const [typeCode, setTypeCode] = useState("");
    const [title, setTitle] = useState("");
    const [careDate, setCareDate] = useState("");
    const [hiddenFromPatient, setHiddenFromPatient] = useState(false);
    const [file, setFile] = useState<File | null>(null);
    const [sending, setSending] = useState(false);
    const today = todayIso();
    const cda = isXml(file);

    async function submit(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        if (sending) return;
        const errors: FieldErrors<DepositField> = {};
        // A CDA names its type and title in its header: the fields may stay empty.
        if (typeCode === "" && !cda) {
            errors.typeCode = "Choisissez le type du document.";
        }
        if (title.trim() === "" && !cda) {
            errors.title = "Donnez un titre au document.";
        }
        if (careDate !== "" && !isIsoDate(careDate)) {
            errors.careDate = "Cette date n'existe pas. Écrivez le jour, le mois et l'année.";
        } else if (careDate > today) {
            errors.careDate = "Cette date est dans le futur. Écrivez la date des soins.";
        }
        const fileError = checkFile(file);
        if (fileError !== undefined) {
            errors.file = fileError;
        }
        if (Object.keys(errors).length > 0 || file === null) {
            form.show(errors);
            return;
        }
        const body = new FormData();
        if (typeCode !== "") body.append("typeCode", typeCode);
        if (title.trim() !== "") body.append("title", title.trim());
        if (careDate !== "") body.append("careDate", careDate);
        body.append("hiddenFromPatient", hiddenFromPatient ? "true" : "false");
        body.append("file", file, file.name);
        setSending(true);
        const result = await apiFetch<{ documentId: string }>(proDocumentsApi(record.recordId), { method: "POST", body });
        setSending(false);
        if (!result.ok) {
            if (result.status === 413) {
                form.show({ file: "Ce fichier est trop lourd. La taille maximale est 20 Mo." });
            } else if (result.status === 415) {
                form.show({ file: problemMessage(result.problem) });
            } else {
                form.showProblem(result.problem, DEPOSIT_FIELDS);
            }
            return;
        }
        const what = title.trim() !== "" ? `Le document « ${title.trim()} »` : "Le document";
        navigate(proPatientPath(record.recordId), {
            state: {
                notice: `${what} est déposé dans le DMP de ${patientName(record)}.${hiddenFromPatient ? " Le patient ne le voit pas pour l'instant." : ""}`
            }
        });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Déposer un document</h1>
                <PatientReminder record={record} />
                <FormAlert message={form.general} innerRef={form.generalRef} title="Le document n'est pas déposé" />
                <p className={fr.cx("fr-text--sm")}>
                    Tous les champs sont obligatoires, sauf si c'est écrit « facultatif ». Pour un document CDA (XML),
                    le type et le titre sont lus dans le document.
                </p>
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <Upload
                        className={`dmp-upload ${fr.cx("fr-mb-4w")}`}
                        label="Le fichier"
                        hint="Formats acceptés : PDF, XML (document CDA), texte, JPG et PNG. Taille maximale : 20 Mo."
                        state={form.errors.file !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.file}
                        nativeInputProps={{
                            id: "champ-file",
                            name: "file",
                            accept: FILE_ACCEPT,
                            onChange: (event) => setFile(event.target.files?.[0] ?? null),
                            "aria-invalid": form.errors.file !== undefined ? true : undefined
                        }}
                    />
                    <Select
                        label={cda ? "Type de document (facultatif pour un CDA)" : "Type de document"}
                        hint="La liste officielle des types de documents du DMP, rangés par catégorie."
                        state={form.errors.typeCode !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.typeCode}
                        nativeSelectProps={{
                            id: "champ-typeCode",
                            name: "typeCode",
                            value: typeCode,
                            onChange: (event) => setTypeCode(event.target.value),
                            "aria-invalid": form.errors.typeCode !== undefined ? true : undefined
                        }}
                    >
                        <option value="">{cda ? "Lu dans le document" : "Choisir un type"}</option>
                        {PROFESSIONAL_TYPE_GROUPS.map((group) => (
                            <optgroup key={group.category} label={group.label}>
                                {group.types.map((type) => (
                                    <option key={type.code} value={type.code}>
                                        {type.label}
                                    </option>
                                ))}
                            </optgroup>
                        ))}
                    </Select>
                    <TextField
                        label={cda ? "Titre du document (facultatif pour un CDA)" : "Titre du document"}
                        hint="Par exemple : Compte rendu de consultation"
                        name="title"
                        value={title}
                        onChange={setTitle}
                        error={form.errors.title}
                        maxLength={TITLE_MAX}
                    />
                    <Input
                        label="Date des soins (facultatif)"
                        hintText="Le jour de la consultation ou de l'examen. Vide : la date du document CDA, ou aujourd'hui."
                        state={form.errors.careDate !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.careDate}
                        nativeInputProps={{
                            id: "champ-careDate",
                            name: "careDate",
                            type: "date",
                            max: today,
                            value: careDate,
                            onChange: (event) => setCareDate(event.target.value),
                            "aria-invalid": form.errors.careDate !== undefined ? true : undefined
                        }}
                    />
                    <Checkbox
                        options={[
                            {
                                label: "Ne pas montrer au patient pour l'instant",
                                hintText:
                                    "Par exemple, un diagnostic grave. Le patient le verra quand un professionnel le lui aura expliqué.",
                                nativeInputProps: {
                                    name: "hiddenFromPatient",
                                    checked: hiddenFromPatient,
                                    onChange: (event) => setHiddenFromPatient(event.target.checked)
                                }
                            }
                        ]}
                    />
                    {sending && (
                        <p role="status" className={fr.cx("fr-mb-2w")}>
                            Envoi du fichier en cours…
                        </p>
                    )}
                    <Button type="submit" disabled={sending} iconId="fr-icon-upload-line" className={fr.cx("fr-mt-2w")}>
                        Déposer le document
                    </Button>
                </form>
                <BackToPatient recordId={record.recordId} />
            </div>
        </div>
    );
}
