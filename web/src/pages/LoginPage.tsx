import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../api";
import { FormAlert, PasswordField, TextField, problemMessage, useFormErrors, type FieldErrors } from "../components/forms";
import { usePageTitle } from "../components/usePageTitle";
import { noticeFrom, type LoginChallenge } from "../login";
import { paths } from "../paths";

type Field = "loginId" | "password";
const FIELDS: readonly Field[] = ["loginId", "password"];

const TITLES: Record<number, string> = {
    401: "Identifiant ou mot de passe faux",
    423: "Votre compte est bloqué pour le moment",
    429: "Trop d'essais"
};

function signedOutFrom(state: unknown): boolean {
    return state !== null && typeof state === "object" && "signedOut" in state && state.signedOut === true;
}

export function LoginPage() {
    usePageTitle("Accéder à mon DMP");
    const navigate = useNavigate();
    const location = useLocation();
    const notice = noticeFrom(location.state);
    const signedOut = signedOutFrom(location.state);
    const [loginId, setLoginId] = useState("");
    const [password, setPassword] = useState("");
    const [pending, setPending] = useState(false);
    const [alertTitle, setAlertTitle] = useState<string | undefined>(undefined);
    const form = useFormErrors<Field>();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) {
            return;
        }
        const errors: FieldErrors<Field> = {};
        if (loginId.trim() === "") {
            errors.loginId = "Écrivez votre identifiant.";
        }
        if (password === "") {
            errors.password = "Écrivez votre mot de passe.";
        }
        if (Object.keys(errors).length > 0) {
            setAlertTitle(undefined);
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<LoginChallenge>("/api/auth/login", {
            method: "POST",
            body: { loginId: loginId.trim(), password }
        });
        setPending(false);
        if (!result.ok) {
            const title = TITLES[result.status];
            setAlertTitle(title);
            if (title !== undefined) {
                form.show({}, problemMessage(result.problem));
            } else {
                form.showProblem(result.problem, FIELDS);
            }
            return;
        }
        navigate(paths.loginCode, { state: result.data });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Accéder à mon DMP</h1>
                {notice !== null && (
                    <Alert className={fr.cx("fr-mb-3w")} severity="info" small description={notice} />
                )}
                {signedOut && notice === null && (
                    <Alert
                        className={fr.cx("fr-mb-3w")}
                        severity="info"
                        small
                        description="Pour voir cette page, je dois me connecter."
                    />
                )}
                <ol>
                    <li>J'écris mon identifiant et mon mot de passe.</li>
                    <li>Je reçois un code de 8 chiffres, par SMS ou par mail.</li>
                    <li>J'écris ce code sur le site. Le code marche seulement 10 minutes.</li>
                </ol>

                <FormAlert message={form.general} innerRef={form.generalRef} title={alertTitle} />
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
                    <PasswordField
                        label="Mon mot de passe"
                        hint="La première fois, c'est le mot de passe écrit sur mon courrier."
                        name="password"
                        value={password}
                        onChange={setPassword}
                        error={form.errors.password}
                        autoComplete="current-password"
                    />
                    <p className={fr.cx("fr-mt-2w")}>
                        <Link to={paths.forgotPassword}>J'ai oublié mon mot de passe</Link>
                    </p>
                    <Button type="submit" disabled={pending}>
                        Continuer
                    </Button>
                </form>

                <h2 className={fr.cx("fr-mt-6w", "fr-h4")}>Je n'ai pas encore de DMP</h2>
                <p>
                    <Link to={paths.create}>Créer mon DMP</Link>
                </p>
            </div>
        </div>
    );
}
