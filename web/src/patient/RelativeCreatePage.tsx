import { useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { FormAlert, useFormErrors } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";
import { formatDate } from "./patient";
import { isEligibleChild, type EligibleChild } from "./relatives";

export function RelativeCreatePage() {
    usePageTitle("Créer le DMP de mon enfant");
    const location = useLocation();
    const state: unknown = location.state;
    const child =
        state !== null && typeof state === "object" && "child" in state && isEligibleChild(state.child)
            ? state.child
            : null;
    if (child === null) {
        return <Navigate to={paths.relatives} replace />;
    }
    return <RequirePatient>{() => <RelativeCreateForm child={child} />}</RequirePatient>;
}

function RelativeCreateForm(props: { child: EligibleChild }) {
    const { child } = props;
    const navigate = useNavigate();
    const [consent, setConsent] = useState(false);
    const [pending, setPending] = useState(false);
    const form = useFormErrors<"consent">();
    const name = `${child.firstNames} ${child.birthName}`;

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        if (!consent) {
            form.show({ consent: "Pour créer ce DMP, cochez la case." });
            return;
        }
        setPending(true);
        const result = await apiFetch<{ recordId: string }>("/api/me/children-records", {
            method: "POST",
            body: { nir: child.nir, consent: true }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["consent"]);
            return;
        }
        navigate(paths.relatives, { replace: true, state: { notice: `Le DMP de ${name} est créé.` } });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Créer le DMP de {name}</h1>
                <p>
                    {name}, né(e) le {formatDate(child.birthDate)}.
                </p>
                <ul>
                    <li>Je m'occupe de ce DMP jusqu'aux 18 ans de mon enfant.</li>
                    <li>Les médecins de mon enfant pourront le lire et y ajouter des documents.</li>
                    <li>Je peux fermer ce DMP quand je veux.</li>
                </ul>
                <FormAlert message={form.general} innerRef={form.generalRef} />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <Checkbox
                        state={form.errors.consent !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.consent}
                        options={[
                            {
                                label: `Je suis le parent ou le tuteur de ${name}. Je veux créer son DMP.`,
                                nativeInputProps: {
                                    name: "consent",
                                    checked: consent,
                                    onChange: (event) => setConsent(event.target.checked)
                                }
                            }
                        ]}
                    />
                    <Button type="submit" disabled={pending} className={fr.cx("fr-mt-2w")}>
                        Créer son DMP
                    </Button>
                </form>
                <BackLink to={paths.relatives}>Retour à mes proches</BackLink>
            </div>
        </div>
    );
}
