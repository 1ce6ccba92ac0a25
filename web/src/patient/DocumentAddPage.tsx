import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import DocumentAdd from "@codegouvfr/react-dsfr/picto/DocumentAdd";
import SignDocument from "@codegouvfr/react-dsfr/picto/SignDocument";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { FormAlert, RequiredFieldsNotice, TextField, problemMessage, useFormErrors } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import {
    FILE_ACCEPT,
    PATIENT_TYPES,
    checkFile,
    documentsApi,
    isIsoDate,
    todayIso
} from "../shared/documents";
import { paths } from "../shared/paths";
import type { Me } from "./patient";

const TITLE_MAX = 200;
const NOTE_MAX = 20_000;

/** Step 1: what do I add? One choice, one screen. */
export function DocumentAddPage() {
    usePageTitle("Ajouter un document");
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title="Ajouter un document" />
                ) : (
                    <>
                        <h1>Ajouter un document</h1>
                        <CurrentRecordNotice me={me} />
                        <p className={fr.cx("fr-text--lead")}>Je choisis ce que je veux ajouter.</p>
                        <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
                            <li className={fr.cx("fr-col-12", "fr-col-md-5")}>
                                <Tile
                                    title="Ajouter un fichier"
                                    titleAs="h2"
                                    desc="Un PDF, une photo ou un texte que j'ai sur mon ordinateur ou mon téléphone."
                                    linkProps={{ to: paths.documentAddFile }}
                                    enlargeLinkOrButton
                                    pictogram={<DocumentAdd />}
                                />
                            </li>
                            <li className={fr.cx("fr-col-12", "fr-col-md-5")}>
                                <Tile
                                    title="Écrire une note"
                                    titleAs="h2"
                                    desc="J'écris un texte ici, par exemple des questions pour mon médecin."
                                    linkProps={{ to: paths.documentAddNote }}
                                    enlargeLinkOrButton
                                    pictogram={<SignDocument />}
                                />
                            </li>
                        </ul>
                        <BackLink to={paths.documents}>Retour à mes documents</BackLink>
                    </>
                )
            }
        </RequirePatient>
    );
}

type FileField = "typeCode" | "title" | "careDate" | "file";

/** Step 2a: a file from the person's device. */
export function DocumentAddFilePage() {
    usePageTitle("Ajouter un fichier");
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title="Ajouter un fichier" />
                ) : (
                    <AddFile me={me} recordId={me.currentRecordId} />
                )
            }
        </RequirePatient>
    );
}

function AddFile(props: { me: Me; recordId: string }) {
    const navigate = useNavigate();
    const { errors, general, formRef, generalRef, show, showProblem } = useFormErrors<FileField>();
    const [typeCode, setTypeCode] = useState("");
    const [title, setTitle] = useState("");
    const [careDate, setCareDate] = useState("");
    const [file, setFile] = useState<File | null>(null);
    const [sending, setSending] = useState(false);
    const today = todayIso();

    async function submit(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        const found: Partial<Record<FileField, string>> = {};
        if (typeCode === "") {
            found.typeCode = "Choisissez le type du document.";
        }
        if (title.trim() === "") {
            found.title = "Donnez un titre au document.";
        }
        if (careDate !== "" && !isIsoDate(careDate)) {
            found.careDate = "Cette date n'existe pas. Écrivez le jour, le mois et l'année.";
        } else if (careDate > today) {
            found.careDate = "Cette date est dans le futur. Écrivez la date des soins.";
        }
        const fileError = checkFile(file);
        if (fileError !== undefined) {
            found.file = fileError;
        }
        if (Object.keys(found).length > 0 || file === null) {
            show(found);
            return;
        }

        // The fields first, the file last (the usual order of a form, the bytes at the end).
        const form = new FormData();
        form.append("typeCode", typeCode);
        form.append("title", title.trim());
        if (careDate !== "") {
            form.append("careDate", careDate);
        }
        form.append("file", file, file.name);
        setSending(true);
        const result = await apiFetch<{ documentId: string }>(documentsApi(props.recordId), { method: "POST", body: form });
        setSending(false);
        if (!result.ok) {
            if (result.status === 413) {
                show({ file: "Ce fichier est trop lourd. La taille maximale est 20 Mo." });
            } else if (result.status === 415) {
                show({ file: problemMessage(result.problem) });
            } else {
                showProblem(result.problem, ["typeCode", "title", "careDate", "file"]);
            }
            return;
        }
        navigate(paths.documents, { state: { notice: `Le document « ${title.trim()} » est ajouté à mon DMP.` } });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Ajouter un fichier</h1>
                <CurrentRecordNotice me={props.me} />
                <FormAlert message={general} innerRef={generalRef} />
                <RequiredFieldsNotice />
                <form ref={formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <Select
                        label="Type de document"
                        hint="Je choisis ce qui ressemble le plus à mon document."
                        state={errors.typeCode !== undefined ? "error" : "default"}
                        stateRelatedMessage={errors.typeCode}
                        nativeSelectProps={{
                            id: "champ-typeCode",
                            name: "typeCode",
                            value: typeCode,
                            onChange: (event) => setTypeCode(event.target.value),
                            "aria-invalid": errors.typeCode !== undefined ? true : undefined
                        }}
                    >
                        <option value="" disabled>
                            Choisir un type
                        </option>
                        {PATIENT_TYPES.map((type) => (
                            <option key={type.code} value={type.code}>
                                {type.label}
                            </option>
                        ))}
                    </Select>
                    <TextField
                        label="Titre du document"
                        hint="Par exemple : Compte rendu de kinésithérapie"
                        name="title"
                        value={title}
                        onChange={setTitle}
                        error={errors.title}
                        maxLength={TITLE_MAX}
                    />
                    <Input
                        label="Date des soins (facultatif)"
                        hintText="Le jour de la consultation ou de l'examen. Si je ne le sais pas, je laisse vide."
                        state={errors.careDate !== undefined ? "error" : "default"}
                        stateRelatedMessage={errors.careDate}
                        nativeInputProps={{
                            id: "champ-careDate",
                            name: "careDate",
                            type: "date",
                            max: today,
                            value: careDate,
                            onChange: (event) => setCareDate(event.target.value),
                            "aria-invalid": errors.careDate !== undefined ? true : undefined
                        }}
                    />
                    <Upload
                        className={fr.cx("fr-mb-4w")}
                        label="Le fichier"
                        hint="Formats acceptés : PDF, XML (document CDA), texte, JPG et PNG. Taille maximale : 20 Mo."
                        state={errors.file !== undefined ? "error" : "default"}
                        stateRelatedMessage={errors.file}
                        nativeInputProps={{
                            id: "champ-file",
                            name: "file",
                            accept: FILE_ACCEPT,
                            onChange: (event) => setFile(event.target.files?.[0] ?? null),
                            "aria-invalid": errors.file !== undefined ? true : undefined
                        }}
                    />
                    {sending && (
                        <p role="status" className={fr.cx("fr-mb-2w")}>
                            Envoi du fichier en cours…
                        </p>
                    )}
                    <Button type="submit" disabled={sending}>
                        Ajouter le fichier
                    </Button>
                </form>
                <BackLink to={paths.documentAdd}>Retour au choix</BackLink>
            </div>
        </div>
    );
}

type NoteField = "title" | "text";

/** Step 2b: a note written here. */
export function DocumentAddNotePage() {
    usePageTitle("Écrire une note");
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title="Écrire une note" />
                ) : (
                    <AddNote me={me} recordId={me.currentRecordId} />
                )
            }
        </RequirePatient>
    );
}

function AddNote(props: { me: Me; recordId: string }) {
    const navigate = useNavigate();
    const { errors, general, formRef, generalRef, show, showProblem } = useFormErrors<NoteField>();
    const [title, setTitle] = useState("");
    const [text, setText] = useState("");
    const [sending, setSending] = useState(false);

    async function submit(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        const found: Partial<Record<NoteField, string>> = {};
        if (title.trim() === "") {
            found.title = "Donnez un titre à votre note.";
        }
        if (text.trim() === "") {
            found.text = "Écrivez votre note.";
        } else if (text.length > NOTE_MAX) {
            found.text = `Votre note est trop longue. Elle peut avoir ${NOTE_MAX.toLocaleString("fr-FR")} caractères au plus.`;
        }
        if (Object.keys(found).length > 0) {
            show(found);
            return;
        }
        setSending(true);
        const result = await apiFetch<{ documentId: string }>(`/api/records/${encodeURIComponent(props.recordId)}/notes`, {
            method: "POST",
            body: { title: title.trim(), text }
        });
        setSending(false);
        if (!result.ok) {
            showProblem(result.problem, ["title", "text"]);
            return;
        }
        navigate(paths.documents, { state: { notice: `La note « ${title.trim()} » est ajoutée à mon DMP.` } });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Écrire une note</h1>
                <CurrentRecordNotice me={props.me} />
                <p>Ma note est rangée dans la catégorie « Espace personnel » de mes documents.</p>
                <FormAlert message={general} innerRef={generalRef} />
                <RequiredFieldsNotice />
                <form ref={formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <TextField
                        label="Titre de la note"
                        hint="Par exemple : Questions pour mon médecin"
                        name="title"
                        value={title}
                        onChange={setTitle}
                        error={errors.title}
                        maxLength={TITLE_MAX}
                    />
                    <Input
                        textArea
                        label="Ma note"
                        hintText={`${NOTE_MAX.toLocaleString("fr-FR")} caractères au plus.`}
                        state={errors.text !== undefined ? "error" : "default"}
                        stateRelatedMessage={errors.text}
                        nativeTextAreaProps={{
                            id: "champ-text",
                            name: "text",
                            rows: 10,
                            value: text,
                            onChange: (event) => setText(event.target.value),
                            "aria-invalid": errors.text !== undefined ? true : undefined
                        }}
                    />
                    <Button type="submit" disabled={sending}>
                        Enregistrer la note
                    </Button>
                </form>
                <BackLink to={paths.documentAdd}>Retour au choix</BackLink>
            </div>
        </div>
    );
}
