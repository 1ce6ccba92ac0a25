import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { FormAlert, TextField, useFormErrors, type FieldErrors } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import type { ContactChallenge, ContactKind } from "./contact";
import { paths } from "../shared/paths";
import { formatPhone, type Me } from "./patient";

type Field = "value" | "valueConfirmation";

const TEXTS: Record<
    ContactKind,
    {
        title: string;
        current: string;
        label: string;
        confirmation: string;
        hint: string;
        empty: string;
        emptyConfirmation: string;
        different: string;
        malformed: string;
        shape: RegExp;
        type: "tel" | "email";
        autoComplete: string;
        inputMode: "tel" | "email";
        sentBy: string;
    }
> = {
    mobile: {
        title: "Changer mon portable",
        current: "Mon portable aujourd'hui",
        label: "Mon nouveau numéro de portable",
        confirmation: "J'écris une 2e fois mon nouveau numéro",
        hint: "10 chiffres. Par exemple : 06 12 34 56 78",
        empty: "Écrivez votre nouveau numéro de portable.",
        emptyConfirmation: "Écrivez une 2e fois votre nouveau numéro.",
        different: "Les 2 numéros ne sont pas pareils.",
        malformed: "Ce numéro de portable n'est pas complet. Par exemple : 06 12 34 56 78",
        shape: /^[+\d][\d\s.-]{8,}$/,
        type: "tel",
        autoComplete: "mobile tel",
        inputMode: "tel",
        sentBy: "Je vais recevoir un code par SMS sur ce nouveau numéro, pour vérifier qu'il est juste."
    },
    email: {
        title: "Changer mon mail",
        current: "Mon mail aujourd'hui",
        label: "Ma nouvelle adresse mail",
        confirmation: "J'écris une 2e fois ma nouvelle adresse mail",
        hint: "Par exemple : prenom.nom@exemple.fr",
        empty: "Écrivez votre nouvelle adresse mail.",
        emptyConfirmation: "Écrivez une 2e fois votre nouvelle adresse mail.",
        different: "Les 2 adresses mail ne sont pas pareilles.",
        malformed: "Cette adresse mail n'est pas complète. Par exemple : prenom.nom@exemple.fr",
        shape: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
        type: "email",
        autoComplete: "email",
        inputMode: "email",
        sentBy: "Je vais recevoir un code sur cette nouvelle adresse, pour vérifier qu'elle est juste."
    }
};

function same(kind: ContactKind, a: string, b: string): boolean {
    return kind === "mobile"
        ? a.replace(/[\s.-]/g, "") === b.replace(/[\s.-]/g, "")
        : a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function ChangeContactPage(props: { kind: ContactKind }) {
    usePageTitle(TEXTS[props.kind].title);
    return <RequirePatient>{(me) => <ChangeContactForm key={props.kind} kind={props.kind} me={me} />}</RequirePatient>;
}

function ChangeContactForm(props: { kind: ContactKind; me: Me }) {
    const { kind } = props;
    const texts = TEXTS[kind];
    const navigate = useNavigate();
    const [value, setValue] = useState("");
    const [valueConfirmation, setValueConfirmation] = useState("");
    const [pending, setPending] = useState(false);
    const form = useFormErrors<Field>();
    const currentValue = kind === "mobile" ? formatPhone(props.me.contact.mobile) : props.me.contact.email;

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const errors: FieldErrors<Field> = {};
        if (value.trim() === "") {
            errors.value = texts.empty;
        } else if (!texts.shape.test(value.trim())) {
            errors.value = texts.malformed;
        }
        if (valueConfirmation.trim() === "") {
            errors.valueConfirmation = texts.emptyConfirmation;
        } else if (errors.value === undefined && !same(kind, value, valueConfirmation)) {
            errors.valueConfirmation = texts.different;
        }
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<{ challengeId: string; destination: string }>("/api/me/contact-change", {
            method: "POST",
            body: { kind, value: value.trim(), valueConfirmation: valueConfirmation.trim() }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["value", "valueConfirmation"]);
            return;
        }
        const challenge: ContactChallenge = { kind, ...result.data };
        navigate(paths.contactChangeCode, { state: challenge });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>{texts.title}</h1>
                <p>
                    {texts.current} : <strong>{currentValue ?? "aucun"}</strong>
                </p>
                <p>{texts.sentBy}</p>
                <FormAlert message={form.general} innerRef={form.generalRef} />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <TextField
                        label={texts.label}
                        hint={texts.hint}
                        name="value"
                        type={texts.type}
                        value={value}
                        onChange={setValue}
                        error={form.errors.value}
                        autoComplete={texts.autoComplete}
                        inputMode={texts.inputMode}
                        spellCheck={false}
                        maxLength={254}
                    />
                    <TextField
                        label={texts.confirmation}
                        name="valueConfirmation"
                        type={texts.type}
                        value={valueConfirmation}
                        onChange={setValueConfirmation}
                        error={form.errors.valueConfirmation}
                        autoComplete="off"
                        inputMode={texts.inputMode}
                        spellCheck={false}
                        maxLength={254}
                    />
                    <Button type="submit" disabled={pending}>
                        Recevoir le code
                    </Button>
                </form>
                <BackLink to={paths.myInformation}>Retour à mes informations</BackLink>
            </div>
        </div>
    );
}
