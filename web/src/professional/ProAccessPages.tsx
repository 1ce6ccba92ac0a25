import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { apiFetch } from "../shared/api";
import { FormAlert, useFormErrors, type FieldErrors } from "../shared/components/forms";
import { BackToPatient, PatientReminder, RequireProRecord } from "./ProRecordFrame";
import { usePageTitle } from "../shared/components/usePageTitle";
import { patientName, proPatientPath, recordApi, type Professional, type ProRecord } from "./pro";
import { isOccupationalDoctor } from "../../../src/directory/professions";

/** /pro/patients/:recordId/accord: the professional declares the patient's consent, given now. */
export function ProConsentPage() {
    usePageTitle("Déclarer l'accord du patient");
    return (
        <RequireProRecord title="Déclarer l'accord du patient">
            {(professional, record) => <Consent record={record} occupational={isOccupationalDoctor(professional.profession, professional.specialty)} />}
        </RequireProRecord>
    );
}

/**
 * An occupational doctor records instead the worker's express consent, valid for this
 * consultation only (law of 2 August 2021); any other professional, the patient's consent.
 */
function Consent(props: { record: ProRecord; occupational: boolean }) {
    const { record, occupational } = props;
    const navigate = useNavigate();
    const [consent, setConsent] = useState(false);
    const [pending, setPending] = useState(false);
    const form = useFormErrors<"consent">();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        if (!consent) {
            form.show({ consent: "Cochez la case quand le patient vous a donné son accord." });
            return;
        }
        setPending(true);
        const result = occupational
            ? await apiFetch<{ until: string }>(`${recordApi(record.recordId)}/occupational-consent`, {
                  method: "POST",
                  body: { consent: true, consultationId: `consultation-${new Date().toISOString().slice(0, 16)}` }
              })
            : await apiFetch<{ authorized: boolean }>(`${recordApi(record.recordId)}/consent`, {
                  method: "POST",
                  body: { consent: true }
              });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["consent"]);
            return;
        }
        navigate(proPatientPath(record.recordId), {
            state: { notice: `L'accord de ${patientName(record)} est enregistré. Vous pouvez lire son DMP.` }
        });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Déclarer l'accord du patient</h1>
                <PatientReminder record={record} />
                <p>
                    Le patient est devant vous. Vous lui avez demandé s'il accepte que vous lisiez son DMP, et il a
                    dit oui.
                </p>
                {occupational && (
                    <p>
                        Vous êtes médecin du travail : cet accord vaut seulement pour cette consultation. Il faudra le
                        redemander à la prochaine.
                    </p>
                )}
                <ul>
                    <li>Le patient verra votre nom dans la liste des professionnels qui ont accès à son DMP.</li>
                    <li>Il peut retirer son accord quand il veut.</li>
                    <li>Chaque lecture est inscrite dans l'historique de son DMP.</li>
                </ul>
                <FormAlert message={form.general} innerRef={form.generalRef} title="L'accord n'est pas enregistré" />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <Checkbox
                        state={form.errors.consent !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.consent}
                        options={[
                            {
                                label: occupational
                                    ? "Le salarié m'a donné son accord exprès pour cette consultation"
                                    : "Le patient m'a donné son accord pendant cette consultation",
                                nativeInputProps: {
                                    name: "consent",
                                    checked: consent,
                                    onChange: (event) => setConsent(event.target.checked)
                                }
                            }
                        ]}
                    />
                    <Button type="submit" disabled={pending} className={fr.cx("fr-mt-2w")}>
                        Déclarer l'accord
                    </Button>
                </form>
                <BackToPatient recordId={record.recordId} />
            </div>
        </div>
    );
}

type EmergencyField = "mode" | "reason";
type Mode = "break-glass" | "samu";

const REASON_MIN = 5;
const REASON_MAX = 500;

/** /pro/patients/:recordId/urgence: an emergency access, with its reason; the patient is told. */
export function ProEmergencyPage() {
    usePageTitle("Accès en urgence");
    return (
        <RequireProRecord title="Accès en urgence">
            {(professional, record) => <Emergency professional={professional} record={record} />}
        </RequireProRecord>
    );
}

function Emergency(props: { professional: Professional; record: ProRecord }) {
    const { professional, record } = props;
    const navigate = useNavigate();
    const regulator = professional.role === "samu_regulator";
    const [mode, setMode] = useState<Mode | null>(regulator ? null : "break-glass");
    const [reason, setReason] = useState("");
    const [pending, setPending] = useState(false);
    const form = useFormErrors<EmergencyField>();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const errors: FieldErrors<EmergencyField> = {};
        if (mode === null) {
            errors.mode = "Choisissez le type d'accès en urgence.";
        }
        const trimmed = reason.trim();
        if (trimmed.length < REASON_MIN) {
            errors.reason = "Dites en quelques mots pourquoi c'est urgent.";
        } else if (trimmed.length > REASON_MAX) {
            errors.reason = `Le motif est trop long : ${REASON_MAX} caractères au plus.`;
        }
        if (Object.keys(errors).length > 0 || mode === null) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<{ explanation: string }>(`${recordApi(record.recordId)}/emergency`, {
            method: "POST",
            body: { mode, reason: trimmed }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["mode", "reason"]);
            return;
        }
        navigate(proPatientPath(record.recordId), {
            state: { notice: "L'accès en urgence est ouvert pour 24 heures. Le patient est prévenu." }
        });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Accès en urgence</h1>
                <PatientReminder record={record} />
                <p>
                    Utilisez cet accès seulement si le patient ne peut pas donner son accord et si son état demande
                    de lire son DMP tout de suite.
                </p>
                <Alert
                    className={fr.cx("fr-mb-4w")}
                    severity="warning"
                    title="Le patient sera prévenu"
                    as="h2"
                    description="Votre nom, la date, l'heure et le motif sont inscrits dans l'historique de son DMP. Le patient reçoit un message. L'accès dure 24 heures."
                />
                <FormAlert message={form.general} innerRef={form.generalRef} title="L'accès en urgence est refusé" />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    {regulator ? (
                        <RadioButtons
                            legend="Type d'accès"
                            name="mode"
                            state={form.errors.mode !== undefined ? "error" : "default"}
                            stateRelatedMessage={form.errors.mode}
                            options={[
                                {
                                    label: "Bris de glace",
                                    hintText: "Vous soignez le patient en urgence.",
                                    nativeInputProps: {
                                        value: "break-glass",
                                        checked: mode === "break-glass",
                                        onChange: () => setMode("break-glass")
                                    }
                                },
                                {
                                    label: "Régulation SAMU",
                                    hintText: "Vous traitez un appel au centre 15 pour ce patient.",
                                    nativeInputProps: {
                                        value: "samu",
                                        checked: mode === "samu",
                                        onChange: () => setMode("samu")
                                    }
                                }
                            ]}
                        />
                    ) : (
                        <p>
                            <strong>Type d'accès : bris de glace.</strong> Vous soignez le patient en urgence.
                        </p>
                    )}
                    <Input
                        textArea
                        label="Motif de l'urgence"
                        hintText={`Entre ${REASON_MIN} et ${REASON_MAX} caractères. Par exemple : patient inconscient aux urgences.`}
                        state={form.errors.reason !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.reason}
                        nativeTextAreaProps={{
                            id: "champ-reason",
                            name: "reason",
                            rows: 3,
                            maxLength: REASON_MAX,
                            value: reason,
                            onChange: (event) => setReason(event.target.value),
                            "aria-invalid": form.errors.reason !== undefined ? true : undefined
                        }}
                    />
                    <Button type="submit" disabled={pending} iconId="fr-icon-alarm-warning-line">
                        Ouvrir l'accès en urgence
                    </Button>
                </form>
                <BackToPatient recordId={record.recordId} />
            </div>
        </div>
    );
}
