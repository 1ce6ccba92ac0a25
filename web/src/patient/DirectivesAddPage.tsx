import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { FormAlert, RequiredFieldsNotice, TextField, useFormErrors } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { DIRECTIVES_TYPE_CODE } from "./healthProfile";
import { paths } from "../shared/paths";
import type { Me } from "./patient";

const TITLE = "Ajouter mes directives anticipées";
const TEXT_MAX = 20_000;

/** Advance directives written here: a note of the record, of the type «Directives anticipées». */
export function DirectivesAddPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) => (me.currentRecordId === null ? <NoCurrentRecord title={TITLE} /> : <DirectivesForm me={me} recordId={me.currentRecordId} />)}
        </RequirePatient>
    );
}

type Field = "title" | "text";

function DirectivesForm(props: { me: Me; recordId: string }) {
    const navigate = useNavigate();
    const form = useFormErrors<Field>();
    const [title, setTitle] = useState("Mes directives anticipées");
    const [text, setText] = useState("");
    const [sending, setSending] = useState(false);

    async function submit(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        if (sending) return;
        setSending(true);
        const result = await apiFetch<{ documentId: string }>(`/api/records/${encodeURIComponent(props.recordId)}/notes`, {
            method: "POST",
            body: { title, text, typeCode: DIRECTIVES_TYPE_CODE }
        });
        setSending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["title", "text"]);
            return;
        }
        navigate(paths.myWishes, { state: { notice: `C'est enregistré : « ${title.trim()} ».` } });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>{TITLE}</h1>
                <CurrentRecordNotice me={props.me} />
                <p>
                    J'écris les soins que j'accepte et ceux que je refuse pour la fin de ma vie, si un jour je ne peux plus
                    le dire. Par exemple : être réanimé, être branché à une machine pour respirer, être soulagé de la
                    douleur même si cela raccourcit ma vie.
                </p>
                <p>Mes directives sont valables sans limite de durée. Je peux en écrire de nouvelles quand je veux.</p>
                <FormAlert message={form.general} innerRef={form.generalRef} />
                <RequiredFieldsNotice />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <TextField label="Titre" name="title" value={title} onChange={setTitle} error={form.errors.title} maxLength={200} />
                    <Input
                        textArea
                        label="Mes directives"
                        hintText={`${TEXT_MAX.toLocaleString("fr-FR")} caractères au plus.`}
                        state={form.errors.text !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.text}
                        nativeTextAreaProps={{
                            id: "champ-text",
                            name: "text",
                            rows: 12,
                            maxLength: TEXT_MAX,
                            value: text,
                            onChange: (event) => setText(event.target.value),
                            "aria-invalid": form.errors.text !== undefined ? true : undefined
                        }}
                    />
                    <Button type="submit" disabled={sending}>
                        Enregistrer mes directives
                    </Button>
                </form>
                <BackLink to={paths.myWishes}>Retour à mes volontés et droits</BackLink>
            </div>
        </div>
    );
}
