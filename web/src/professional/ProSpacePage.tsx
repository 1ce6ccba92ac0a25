import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { apiFetch } from "../shared/api";
import { FormAlert, TextField, problemMessage, useFormErrors, type FieldErrors } from "../shared/components/forms";
import { usePageTitle } from "../shared/components/usePageTitle";
import { formatDate } from "../patient/patient";
import { paths } from "../shared/paths";
import { rememberProvedIdentity } from "./pro";

/** GET /api/pro/me */
interface Professional {
    rpps: string;
    name: string;
    profession: string;
    professionLabel: string | null;
    specialty: string | null;
    specialtyLabel: string | null;
    role: "samu_regulator" | null;
    workplace: { name: string; finess: string | null };
}

/** GET /api/pro/patients */
interface FoundPatient {
    recordId: string;
    patient: { birthName: string; firstNames: string; birthDate: string; sex: "M" | "F" };
    recordStatus: "active" | "closed";
}

type State = { kind: "loading" } | { kind: "ready"; professional: Professional } | { kind: "error"; message: string };

export function ProSpacePage() {
    usePageTitle("Mon espace professionnel");
    const navigate = useNavigate();
    const [state, setState] = useState<State>({ kind: "loading" });

    useEffect(() => {
        void (async () => {
            const result = await apiFetch<Professional>("/api/pro/me");
            if (result.ok) {
                setState({ kind: "ready", professional: result.data });
            } else if (result.status === 401) {
                navigate(paths.pro, { replace: true });
            } else {
                setState({ kind: "error", message: problemMessage(result.problem) });
            }
        })();
    }, [navigate]);

    async function signOut() {
        await apiFetch<void>("/api/pro/logout", { method: "POST" });
        navigate(paths.pro, { replace: true });
    }

    if (state.kind === "loading") {
        return (
            <p role="status" className={fr.cx("fr-text--lead")}>
                Chargement…
            </p>
        );
    }
    if (state.kind === "error") {
        return (
            <>
                <h1>Mon espace professionnel</h1>
                <Alert severity="error" title="Accès refusé" description={state.message} role="alert" as="h2" />
            </>
        );
    }
    const { professional } = state;
    const doctor = professional.profession === "G15_10" || professional.profession === "G15_40";
    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>
                    {doctor ? "Dr " : ""}
                    {professional.name}
                </h1>
                <ul className={fr.cx("fr-raw-list", "fr-mb-3w")}>
                    <li>
                        {[professional.professionLabel ?? professional.profession, professional.specialtyLabel]
                            .filter((part) => part !== null)
                            .join(", ")}
                        {professional.role === "samu_regulator" && " – médecin régulateur du SAMU"}
                    </li>
                    <li>{professional.workplace.name}</li>
                    <li>RPPS : {professional.rpps}</li>
                </ul>
                <Button priority="secondary" iconId="fr-icon-logout-box-r-line" onClick={() => void signOut()}>
                    Se déconnecter
                </Button>
                <FindPatient />
                <section className={fr.cx("fr-mt-6w")}>
                    <h2>Créer un DMP</h2>
                    <p>Le patient est avec vous, avec sa carte Vitale, et il n'a pas encore de DMP.</p>
                    <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to={paths.proCreateRecord}>
                        Créer le DMP d'un patient
                    </Link>
                </section>
            </div>
        </div>
    );
}

type Field = "ins" | "birthName" | "firstName" | "birthDate";
const FIELDS: readonly Field[] = ["ins", "birthName", "firstName", "birthDate"];

function FindPatient() {
    const [values, setValues] = useState<Record<Field, string>>({ ins: "", birthName: "", firstName: "", birthDate: "" });
    const [pending, setPending] = useState(false);
    const [found, setFound] = useState<FoundPatient | null>(null);
    const form = useFormErrors<Field>();
    const set = (field: Field) => (value: string) => setValues((current) => ({ ...current, [field]: value }));

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) {
            return;
        }
        setFound(null);
        const errors: FieldErrors<Field> = {};
        const ins = values.ins.replace(/\s+/g, "");
        if (ins.length !== 15) {
            errors.ins = "Le matricule INS a 15 caractères. Il est sur l'attestation de droits ou la carte Vitale.";
        }
        if (values.birthName.trim() === "") {
            errors.birthName = "Écrivez le nom de naissance.";
        }
        if (values.firstName.trim() === "") {
            errors.firstName = "Écrivez le premier prénom.";
        }
        if (!/^\d{4}-\d{2}-\d{2}$/.test(values.birthDate)) {
            errors.birthDate = "Choisissez la date de naissance.";
        }
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const query = new URLSearchParams({ ...values, ins });
        const result = await apiFetch<FoundPatient>(`/api/pro/patients?${query.toString()}`);
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, FIELDS);
            return;
        }
        form.clear();
        rememberProvedIdentity(result.data.recordId, result.data.patient);
        setFound(result.data);
    }

    return (
        <section className={fr.cx("fr-mt-6w")}>
            <h2>Trouver un patient</h2>
            <p>Avec son matricule INS et son identité, comme sur sa carte Vitale ou son attestation de droits.</p>
            <FormAlert message={form.general} innerRef={form.generalRef} title="Pas de résultat" />
            <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                <TextField
                    label="Matricule INS"
                    hint="15 caractères. Par exemple : 2 79 03 51 215 189 89"
                    name="ins"
                    value={values.ins}
                    onChange={set("ins")}
                    error={form.errors.ins}
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={21}
                />
                <TextField
                    label="Nom de naissance"
                    name="birthName"
                    value={values.birthName}
                    onChange={set("birthName")}
                    error={form.errors.birthName}
                    autoComplete="off"
                    maxLength={100}
                />
                <TextField
                    label="Premier prénom"
                    name="firstName"
                    value={values.firstName}
                    onChange={set("firstName")}
                    error={form.errors.firstName}
                    autoComplete="off"
                    maxLength={100}
                />
                <Input
                    label="Date de naissance"
                    state={form.errors.birthDate !== undefined ? "error" : "default"}
                    stateRelatedMessage={form.errors.birthDate}
                    nativeInputProps={{
                        id: "champ-birthDate",
                        name: "birthDate",
                        type: "date",
                        value: values.birthDate,
                        onChange: (event) => set("birthDate")(event.target.value),
                        "aria-invalid": form.errors.birthDate !== undefined ? true : undefined
                    }}
                />
                <Button type="submit" disabled={pending}>
                    Rechercher
                </Button>
            </form>
            {found !== null && <PatientFound found={found} />}
        </section>
    );
}

function PatientFound(props: { found: FoundPatient }) {
    const { patient, recordId, recordStatus } = props.found;
    return (
        <div className={fr.cx("fr-card", "fr-mt-4w", "fr-p-3w")} role="status">
            <h3 className={fr.cx("fr-h5")}>
                {patient.firstNames} {patient.birthName}
            </h3>
            <ul className={fr.cx("fr-raw-list", "fr-mb-2w")}>
                <li>
                    {patient.sex === "F" ? "Femme, née" : "Homme, né"} le {formatDate(patient.birthDate)}
                </li>
                {recordStatus === "closed" && <li>Ce DMP est fermé.</li>}
            </ul>
            <Link className={fr.cx("fr-link")} to={paths.proPatient.replace(":recordId", encodeURIComponent(recordId))}>
                Ouvrir le DMP de {patient.firstNames} {patient.birthName}
            </Link>
        </div>
    );
}
