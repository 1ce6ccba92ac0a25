import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { FormAlert, TextField, useFormErrors, type FieldErrors } from "../shared/components/forms";
import { usePageTitle } from "../shared/components/usePageTitle";
import { checkNir, NIR_HINT, normalizeNirInput } from "../shared/nir";
import { paths } from "../shared/paths";

type Field = "loginId" | "nir" | "email";

/** State passed to /mot-de-passe-oublie/code. */
export interface ResetChallenge {
    challengeId: string;
    message: string;
    loginId: string;
}

export function isResetChallenge(value: unknown): value is ResetChallenge {
    if (value === null || typeof value !== "object") return false;
    const v = value as Record<string, unknown>;
    return typeof v.challengeId === "string" && typeof v.message === "string" && typeof v.loginId === "string";
}

export function ForgotPasswordPage() {
    usePageTitle("J'ai oublié mon mot de passe");
    const navigate = useNavigate();
    const [loginId, setLoginId] = useState("");
    const [nir, setNir] = useState("");
    const [email, setEmail] = useState("");
    const [pending, setPending] = useState(false);
    // A proche aidant's own login has no NIR: the email given with the invitation stands for it.
    const [searchParams] = useSearchParams();
    const asCaregiver = searchParams.get("aidant") === "1";
    const form = useFormErrors<Field>();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const errors: FieldErrors<Field> = {};
        if (loginId.trim() === "") errors.loginId = "Écrivez votre identifiant.";
        if (asCaregiver) {
            if (!/^\S+@\S+\.\S+$/.test(email.trim())) errors.email = "Écrivez votre adresse mail. Par exemple : prenom.nom@exemple.fr";
        } else {
            const nirError = checkNir(nir);
            if (nirError !== undefined) errors.nir = nirError;
        }
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<{ challengeId: string; message: string }>("/api/auth/password-reset", {
            method: "POST",
            body: asCaregiver ? { loginId: loginId.trim(), email: email.trim() } : { loginId: loginId.trim(), nir: normalizeNirInput(nir) }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["loginId", "nir", "email"]);
            return;
        }
        const challenge: ResetChallenge = { ...result.data, loginId: loginId.trim() };
        navigate(paths.forgotPasswordCode, { state: challenge });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>J'ai oublié mon mot de passe</h1>
                <p className={fr.cx("fr-text--lead")}>Je peux choisir un nouveau mot de passe.</p>
                <ol>
                    <li>
                        {asCaregiver
                            ? "J'écris mon identifiant et l'adresse mail de mon invitation."
                            : "J'écris mon identifiant et mon numéro de sécurité sociale."}
                    </li>
                    <li>Je reçois un code de 8 chiffres, par SMS ou par mail.</li>
                    <li>J'écris le code et mon nouveau mot de passe.</li>
                </ol>
                <FormAlert message={form.general} innerRef={form.generalRef} />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <TextField
                        label="Mon identifiant"
                        hint="Il est sur mon courrier. Par exemple : hup7510"
                        name="loginId"
                        value={loginId}
                        onChange={setLoginId}
                        error={form.errors.loginId}
                        autoComplete="username"
                        autoCapitalize="off"
                        spellCheck={false}
                        maxLength={64}
                    />
                    {asCaregiver ? (
                        <TextField
                            label="Mon adresse mail"
                            hint="Celle où j'ai reçu l'invitation de proche aidant."
                            name="email"
                            type="email"
                            value={email}
                            onChange={setEmail}
                            error={form.errors.email}
                            autoComplete="email"
                            spellCheck={false}
                            maxLength={254}
                        />
                    ) : (
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
                    )}
                    <Button type="submit" disabled={pending}>
                        Recevoir un code
                    </Button>
                </form>
                <p className={fr.cx("fr-mt-4w")}>
                    {asCaregiver ? (
                        <Link to={paths.forgotPassword}>J'ai un DMP à mon nom</Link>
                    ) : (
                        <Link to={`${paths.forgotPassword}?aidant=1`}>Je suis proche aidant, je n'ai pas de DMP à mon nom</Link>
                    )}
                </p>
                <BackLink to={paths.login}>Retour à la connexion</BackLink>
            </div>
        </div>
    );
}
