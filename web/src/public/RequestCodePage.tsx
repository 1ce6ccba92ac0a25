import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { FormAlert, TextField, useFormErrors, type FieldErrors } from "../shared/components/forms";
import { usePageTitle } from "../shared/components/usePageTitle";
import { checkNir, NIR_HINT, normalizeNirInput } from "../shared/nir";
import { paths } from "../shared/paths";

type Field = "nir" | "nirConfirmation";
const FIELDS: readonly Field[] = ["nir", "nirConfirmation"];

export function RequestCodePage() {
    usePageTitle("Demander mon code de création");
    const navigate = useNavigate();
    const [nir, setNir] = useState("");
    const [nirConfirmation, setNirConfirmation] = useState("");
    const [pending, setPending] = useState(false);
    const form = useFormErrors<Field>();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) {
            return;
        }
        const errors: FieldErrors<Field> = {};
        errors.nir = checkNir(nir);
        if (nirConfirmation.trim() === "") {
            errors.nirConfirmation = "Écrivez une 2e fois votre numéro de sécurité sociale.";
        } else if (errors.nir === undefined && normalizeNirInput(nir) !== normalizeNirInput(nirConfirmation)) {
            errors.nirConfirmation = "Les 2 numéros ne sont pas pareils. Vérifiez chaque chiffre.";
        }
        if (errors.nir !== undefined || errors.nirConfirmation !== undefined) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<{ message: string }>("/api/creation/code-requests", {
            method: "POST",
            body: { nir: normalizeNirInput(nir), nirConfirmation: normalizeNirInput(nirConfirmation) }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, FIELDS);
            return;
        }
        navigate(paths.requestCodeSent, { state: { message: result.data.message } });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Demander mon code de création</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Pour créer mon DMP sur ce site, il me faut un code de création.
                </p>
                <p>J'écris 2 fois mon numéro de sécurité sociale. C'est pour éviter les erreurs.</p>

                <FormAlert message={form.general} innerRef={form.generalRef} />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <TextField
                        label="Mon numéro de sécurité sociale"
                        hint={NIR_HINT}
                        name="nir"
                        value={nir}
                        onChange={setNir}
                        error={form.errors.nir}
                        inputMode="numeric"
                        autoComplete="off"
                        spellCheck={false}
                        maxLength={25}
                    />
                    <TextField
                        label="Je l'écris une 2e fois"
                        hint="Pour vérifier qu'il n'y a pas d'erreur."
                        name="nirConfirmation"
                        value={nirConfirmation}
                        onChange={setNirConfirmation}
                        error={form.errors.nirConfirmation}
                        inputMode="numeric"
                        autoComplete="off"
                        spellCheck={false}
                        maxLength={25}
                    />
                    <Button type="submit" disabled={pending}>
                        Valider
                    </Button>
                </form>

                <BackLink to={paths.create}>Retour à Créer mon DMP</BackLink>
            </div>
        </div>
    );
}
