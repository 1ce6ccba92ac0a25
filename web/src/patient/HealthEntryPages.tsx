import { useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { FormAlert, RequiredFieldsNotice, TextField, problemMessage, useFormErrors } from "../shared/components/forms";
import { EntrySummary, ProfileStatus, useHealthProfile } from "../shared/components/HealthEntryList";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import {
    areaPath,
    contentFieldErrors,
    kindFromSlug,
    removeEntry,
    saveEntry,
    type Area,
    type EntryContent,
    type FieldSpec,
    type HealthEntry,
    type KindInfo
} from "./healthProfile";
import type { Me } from "./patient";
import { NotFoundPage } from "../public/NotFoundPage";

/**
 * The screens of one entry of «Ma santé» or «Volontés et droits»: add it, change it,
 * delete it (after a question). One action per screen; back to the list with a notice.
 */

const backLabel = (area: Area) => (area === "sante" ? "Retour à ma santé" : "Retour à mes volontés et droits");
const saved = (info: KindInfo, content: EntryContent) => `C'est enregistré : « ${info.summary(content)} ».`;

/** Resolves the kind from the address and the open record, then renders `children`. */
function EntryScreen(props: { area: Area; children: (info: KindInfo, me: Me, recordId: string) => React.ReactNode }) {
    const { kind } = useParams();
    const info = kindFromSlug(props.area, kind);
    if (info === null) {
        return <NotFoundPage />;
    }
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title={info.heading} />
                ) : (
                    <div className={fr.cx("fr-grid-row")}>
                        <div className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>{props.children(info, me, me.currentRecordId)}</div>
                    </div>
                )
            }
        </RequirePatient>
    );
}

/** Finds the entry of the address in the record's profile, or says it is gone. */
function WithEntry(props: { info: KindInfo; recordId: string; children: (entry: HealthEntry) => React.ReactNode }) {
    const { entryId } = useParams();
    const { state } = useHealthProfile(props.recordId);
    if (state.kind !== "ready") {
        return <ProfileStatus state={state} />;
    }
    const entry = state.profile.entries[props.info.kind].find((e) => e.entryId === entryId);
    if (entry === undefined) {
        return (
            <>
                <Alert severity="info" title="Cette information n'existe plus" description="Elle a peut-être déjà été supprimée." as="h2" />
                <BackLink to={areaPath(props.info.area)}>{backLabel(props.info.area)}</BackLink>
            </>
        );
    }
    return <>{props.children(entry)}</>;
}

export function HealthEntryAddPage(props: { area: Area }) {
    return (
        <EntryScreen area={props.area}>
            {(info, me, recordId) => <EntryForm info={info} me={me} recordId={recordId} title={info.addTitle ?? info.addLabel} />}
        </EntryScreen>
    );
}

export function HealthEntryEditPage(props: { area: Area }) {
    return (
        <EntryScreen area={props.area}>
            {(info, me, recordId) => (
                <WithEntry info={info} recordId={recordId}>
                    {(entry) => <EntryForm info={info} me={me} recordId={recordId} title={`Modifier ${info.one}`} entry={entry} />}
                </WithEntry>
            )}
        </EntryScreen>
    );
}

export function HealthEntryDeletePage(props: { area: Area }) {
    return (
        <EntryScreen area={props.area}>
            {(info, me, recordId) => (
                <WithEntry info={info} recordId={recordId}>
                    {(entry) => <DeleteEntry info={info} me={me} recordId={recordId} entry={entry} />}
                </WithEntry>
            )}
        </EntryScreen>
    );
}

function EntryForm(props: { info: KindInfo; me: Me; recordId: string; title: string; entry?: HealthEntry }) {
    const { info } = props;
    usePageTitle(props.title);
    const navigate = useNavigate();
    const fieldNames = info.fields.map((f) => f.name);
    const form = useFormErrors<string>();
    const [values, setValues] = useState<Record<string, string>>(() =>
        Object.fromEntries(info.fields.map((f) => [f.name, props.entry?.content[f.name] ?? ""]))
    );
    const [sending, setSending] = useState(false);
    const set = (name: string) => (value: string) => setValues((current) => ({ ...current, [name]: value }));

    async function submit(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        if (sending) return;
        setSending(true);
        const result = await saveEntry(props.recordId, info.kind, values, props.entry?.entryId);
        setSending(false);
        if (!result.ok) {
            form.showProblem({ ...result.problem, errors: contentFieldErrors(result.problem.errors) }, fieldNames);
            return;
        }
        navigate(areaPath(info.area), { state: { notice: saved(info, result.data.content) } });
    }

    return (
        <>
            <h1>{props.title}</h1>
            <CurrentRecordNotice me={props.me} />
            <FormAlert message={form.general} innerRef={form.generalRef} />
            <RequiredFieldsNotice />
            <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                {info.fields.map((field) => (
                    <EntryField key={field.name} field={field} value={values[field.name] ?? ""} onChange={set(field.name)} error={form.errors[field.name]} />
                ))}
                <Button type="submit" disabled={sending}>
                    Enregistrer
                </Button>
            </form>
            <BackLink to={areaPath(info.area)}>{backLabel(info.area)}</BackLink>
        </>
    );
}

/** Today in the person's own time zone, yyyy-mm-dd: the latest date a date field offers. */
function todayIso(): string {
    const now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
}

function EntryField(props: { field: FieldSpec; value: string; onChange: (value: string) => void; error?: string }) {
    const { field, error } = props;
    const id = `champ-${field.name}`;
    const state = error !== undefined ? "error" : "default";
    const invalid = error !== undefined ? true : undefined;
    switch (field.input) {
        case "radio":
            return (
                <RadioButtons
                    legend={field.label}
                    hintText={field.hint}
                    name={field.name}
                    state={state}
                    stateRelatedMessage={error}
                    options={(field.options ?? []).map((option) => ({
                        label: option.label,
                        nativeInputProps: {
                            value: option.value,
                            checked: props.value === option.value,
                            onChange: () => props.onChange(option.value)
                        }
                    }))}
                />
            );
        case "textarea":
            return (
                <Input
                    textArea
                    label={field.label}
                    hintText={field.hint}
                    state={state}
                    stateRelatedMessage={error}
                    nativeTextAreaProps={{
                        id,
                        name: field.name,
                        rows: 4,
                        maxLength: field.maxLength,
                        value: props.value,
                        onChange: (event) => props.onChange(event.target.value),
                        "aria-invalid": invalid
                    }}
                />
            );
        case "date":
            return (
                <Input
                    label={field.label}
                    hintText={field.hint}
                    state={state}
                    stateRelatedMessage={error}
                    nativeInputProps={{
                        id,
                        name: field.name,
                        type: "date",
                        max: todayIso(),
                        value: props.value,
                        onChange: (event) => props.onChange(event.target.value),
                        "aria-invalid": invalid
                    }}
                />
            );
        default:
            return (
                <TextField
                    label={field.label}
                    hint={field.hint}
                    name={field.name}
                    value={props.value}
                    onChange={props.onChange}
                    error={error}
                    type={field.input}
                    inputMode={field.input === "tel" ? "tel" : field.input === "email" ? "email" : undefined}
                    autoComplete={field.autoComplete ?? (field.input === "email" ? "off" : undefined)}
                    maxLength={field.maxLength}
                />
            );
    }
}

function DeleteEntry(props: { info: KindInfo; me: Me; recordId: string; entry: HealthEntry }) {
    const { info, entry } = props;
    const title = `Supprimer ${info.this}`;
    usePageTitle(title);
    const navigate = useNavigate();
    const [error, setError] = useState<string | null>(null);
    const [sending, setSending] = useState(false);
    const name = info.summary(entry.content);

    async function confirm() {
        setSending(true);
        const result = await removeEntry(props.recordId, entry.entryId);
        setSending(false);
        if (!result.ok) {
            setError(problemMessage(result.problem));
            return;
        }
        navigate(areaPath(info.area), { state: { notice: `C'est supprimé : « ${name} ».` } });
    }

    return (
        <>
            <h1>{title}</h1>
            <CurrentRecordNotice me={props.me} />
            {error !== null && <Alert className={fr.cx("fr-mb-3w")} severity="error" small description={error} role="alert" />}
            <div className={fr.cx("fr-mb-3w")}>
                <EntrySummary entry={entry} />
            </div>
            <p className={fr.cx("fr-text--lead")}>Je supprime {info.this} de mon DMP ?</p>
            <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
                <li>
                    <Button onClick={() => void confirm()} disabled={sending}>
                        Oui, supprimer
                    </Button>
                </li>
                <li>
                    <Button priority="secondary" linkProps={{ to: areaPath(info.area) }}>
                        Non, garder
                    </Button>
                </li>
            </ul>
        </>
    );
}
