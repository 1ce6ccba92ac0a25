import { useState, type FormEvent, type ReactNode } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { apiFetch, apiFetchBlob, saveBlob } from "../api";
import { BackLink } from "./BackLink";
import { FormAlert, TextField, problemMessage, useFormErrors, type FieldErrors } from "./forms";
import { normalizeNirInput } from "../nir";
import { parseNir } from "../../../../src/identity/nir";
import type { AppPath } from "../paths";

/** POST /api/pro/records or /api/agent/records */
export type InPersonCreated =
    | { kind: "account"; recordId: string; loginId: string; initialPassword: string; birthName: string; firstNames: string }
    | { kind: "child"; recordId: string; representativeLoginId: string; birthName: string; firstNames: string };

type Field = "nir" | "vitaleSerial" | "mobile" | "consent";
const FIELDS: readonly Field[] = ["nir", "vitaleSerial", "mobile", "consent"];

const EMPTY = { nir: "", vitaleSerial: "", mobile: "" };

export interface InPersonCreationProps {
    /** Where the form goes: the professional's or the agent's route. */
    endpoint: string;
    /** «Créer le DMP d'un patient» (professional), «Créer le DMP d'un assuré» (desk). */
    heading: string;
    /** Who the patient is with, in one sentence («Le patient est avec vous, avec sa carte Vitale.»). */
    lead: string;
    /** Where «Retour» leads, if anywhere. */
    back?: { to: AppPath; label: string };
    /** What comes after the credentials: open the record (professional), create another (desk). */
    next: (created: InPersonCreated, startAgain: () => void) => ReactNode;
}

/**
 * Creating a record with the patient present (DOMAIN.md §2, ways 2 and 3): the Vitale card,
 * the patient's yes and their mobile; then the identifier and initial password, shown once,
 * and the credentials letter.
 */
export function InPersonCreation(props: InPersonCreationProps) {
    const [values, setValues] = useState(EMPTY);
    const [consent, setConsent] = useState(false);
    const [pending, setPending] = useState(false);
    const [created, setCreated] = useState<InPersonCreated | null>(null);
    const form = useFormErrors<Field>();
    const set = (field: "nir" | "vitaleSerial" | "mobile") => (value: string) =>
        setValues((current) => ({ ...current, [field]: value }));

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const errors: FieldErrors<Field> = {};
        if (values.nir.trim() === "") {
            errors.nir = "Écrivez le numéro de sécurité sociale du patient.";
        } else {
            const nir = parseNir(values.nir);
            if (!nir.ok) errors.nir = nir.error.message;
        }
        if (values.vitaleSerial.trim() === "") {
            errors.vitaleSerial = "Écrivez le numéro de série de la carte Vitale.";
        }
        if (!consent) {
            errors.consent = "Cochez la case quand le patient a dit oui.";
        }
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<InPersonCreated>(props.endpoint, {
            method: "POST",
            body: {
                nir: normalizeNirInput(values.nir),
                vitaleSerial: values.vitaleSerial.replace(/\s+/g, ""),
                mobile: values.mobile.trim(),
                consent: true
            }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, FIELDS);
            return;
        }
        form.clear();
        setCreated(result.data);
    }

    const back = props.back ? <BackLink to={props.back.to}>{props.back.label}</BackLink> : null;
    if (created !== null) {
        // The next person starts from an empty form: nothing of the previous one stays on screen.
        const startAgain = () => {
            setValues(EMPTY);
            setConsent(false);
            setCreated(null);
        };
        return <CreatedRecord created={created} next={props.next(created, startAgain)} back={back} />;
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>{props.heading}</h1>
                <p className={fr.cx("fr-text--lead")}>{props.lead}</p>
                <FormAlert message={form.general} innerRef={form.generalRef} title="Le DMP n'est pas créé" />
                <p className={fr.cx("fr-text--sm")}>Tous les champs sont obligatoires.</p>
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <TextField
                        label="Numéro de sécurité sociale du patient"
                        hint="Celui du patient, lu sur la carte Vitale. Pour un enfant sur la carte d'un parent : celui de l'enfant. 15 chiffres."
                        name="nir"
                        value={values.nir}
                        onChange={set("nir")}
                        error={form.errors.nir}
                        autoComplete="off"
                        inputMode="numeric"
                        maxLength={25}
                        spellCheck={false}
                    />
                    <TextField
                        label="Numéro de série de la carte Vitale"
                        hint="Écrit en petits chiffres sur la carte. Par exemple : 1234 5678 9012 3456"
                        name="vitaleSerial"
                        value={values.vitaleSerial}
                        onChange={set("vitaleSerial")}
                        error={form.errors.vitaleSerial}
                        autoComplete="off"
                        inputMode="numeric"
                        maxLength={30}
                        spellCheck={false}
                    />
                    <TextField
                        label="Téléphone portable du patient (sauf pour un enfant)"
                        hint="Le patient y reçoit ses codes de connexion. Par exemple : 06 12 34 56 78."
                        name="mobile"
                        type="tel"
                        value={values.mobile}
                        onChange={set("mobile")}
                        error={form.errors.mobile}
                        autoComplete="off"
                        inputMode="tel"
                        maxLength={20}
                    />
                    <Checkbox
                        state={form.errors.consent !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.consent}
                        options={[
                            {
                                label: "Le patient est d'accord pour créer son DMP",
                                hintText: "Vous lui avez expliqué ce qu'est le DMP et il a dit oui.",
                                nativeInputProps: {
                                    name: "consent",
                                    checked: consent,
                                    onChange: (event) => setConsent(event.target.checked)
                                }
                            }
                        ]}
                    />
                    <Button type="submit" disabled={pending} className={fr.cx("fr-mt-2w")}>
                        Créer le DMP
                    </Button>
                </form>
                {back}
            </div>
        </div>
    );
}

function CreatedRecord(props: { created: InPersonCreated; next: ReactNode; back: ReactNode }) {
    const { created } = props;
    const [downloading, setDownloading] = useState(false);
    const [downloadError, setDownloadError] = useState<string | null>(null);
    const name = `${created.firstNames} ${created.birthName}`;

    async function downloadLetter(loginId: string, password: string) {
        setDownloading(true);
        setDownloadError(null);
        const result = await apiFetchBlob("/api/creation/letter", { loginId, password });
        setDownloading(false);
        if (!result.ok) {
            setDownloadError(problemMessage(result.problem));
            return;
        }
        saveBlob(result.data, "mon-dmp-identifiants.pdf");
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Le DMP est créé</h1>
                <p className={fr.cx("fr-text--lead")} role="status">
                    C'est fait : le DMP de {name} est créé.
                </p>
                {created.kind === "child" ? (
                    <p>
                        C'est le DMP d'un enfant. Le parent titulaire de la carte Vitale le gère depuis son propre DMP,
                        avec son identifiant habituel.
                    </p>
                ) : (
                    <>
                        <Alert
                            severity="warning"
                            title="Donnez ces informations au patient maintenant"
                            description="Elles sont montrées une seule fois. Imprimez le courrier, ou le patient les recopie."
                            as="h2"
                        />
                        <h2 className={fr.cx("fr-mt-4w")}>Identifiant du patient</h2>
                        <p className={fr.cx("fr-display--xs")} data-testid="login-id">
                            <span className={fr.cx("fr-sr-only")}>Identifiant : </span>
                            <code className="dmp-credential" translate="no">
                                {created.loginId}
                            </code>
                        </p>
                        <h2>Mot de passe pour la première connexion</h2>
                        <p>Le patient l'utilise une seule fois. Ensuite, il choisit son propre mot de passe.</p>
                        <p className={fr.cx("fr-h3")} data-testid="initial-password">
                            <span className={fr.cx("fr-sr-only")}>Mot de passe : </span>
                            <code className="dmp-credential" translate="no">
                                {created.initialPassword}
                            </code>
                        </p>
                        {downloadError !== null && (
                            <Alert className={fr.cx("fr-mb-3w")} severity="error" small description={downloadError} role="alert" />
                        )}
                        <Button
                            priority="secondary"
                            iconId="fr-icon-download-line"
                            disabled={downloading}
                            onClick={() => void downloadLetter(created.loginId, created.initialPassword)}
                        >
                            {downloading ? "Téléchargement…" : "Télécharger le courrier pour le patient"}
                        </Button>
                    </>
                )}
                <div className={fr.cx("fr-mt-4w")}>{props.next}</div>
                {props.back}
            </div>
        </div>
    );
}
