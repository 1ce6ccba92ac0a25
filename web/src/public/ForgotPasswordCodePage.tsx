import { useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import {
    checkOneTimeCode,
    FormAlert,
    normalizeOneTimeCode,
    OneTimeCodeField,
    useFormErrors,
    type FieldErrors
} from "../shared/components/forms";
import { checkNewPassword, NewPasswordFields, type NewPasswordField } from "../shared/components/NewPasswordFields";
import { usePasswordVerdict } from "../shared/components/PasswordVerdict";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";
import { isResetChallenge, type ResetChallenge } from "./ForgotPasswordPage";

type Field = "code" | NewPasswordField;
const FIELDS: readonly Field[] = ["code", "newPassword", "newPasswordConfirmation"];

export function ForgotPasswordCodePage() {
    usePageTitle("Choisir un nouveau mot de passe");
    const location = useLocation();
    const state: unknown = location.state;
    if (!isResetChallenge(state)) {
        return <Navigate to={paths.forgotPassword} replace />;
    }
    return <ResetForm challenge={state} />;
}

function ResetForm(props: { challenge: ResetChallenge }) {
    const { challenge } = props;
    const navigate = useNavigate();
    const [code, setCode] = useState("");
    const [password, setPassword] = useState("");
    const [confirmation, setConfirmation] = useState("");
    const [pending, setPending] = useState(false);
    const form = useFormErrors<Field>();
    const verdict = usePasswordVerdict(password, { loginId: challenge.loginId });

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const typed = normalizeOneTimeCode(code);
        const errors: FieldErrors<Field> = { ...checkNewPassword(password, confirmation, verdict.now(password)) };
        const codeError = checkOneTimeCode(typed);
        if (codeError !== undefined) errors.code = codeError;
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<void>("/api/auth/password-reset/confirm", {
            method: "POST",
            body: {
                challengeId: challenge.challengeId,
                code: typed,
                newPassword: password,
                newPasswordConfirmation: confirmation
            }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, FIELDS);
            return;
        }
        navigate(paths.forgotPasswordDone, { replace: true });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Choisir un nouveau mot de passe</h1>
                <p className={fr.cx("fr-text--lead")}>{challenge.message}</p>
                <FormAlert message={form.general} innerRef={form.generalRef} />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <input
                        type="text"
                        name="username"
                        autoComplete="username"
                        value={challenge.loginId}
                        readOnly
                        hidden
                        aria-hidden="true"
                    />
                    <OneTimeCodeField value={code} onChange={setCode} error={form.errors.code} />
                    <NewPasswordFields
                        password={password}
                        onPasswordChange={setPassword}
                        confirmation={confirmation}
                        onConfirmationChange={setConfirmation}
                        verdict={verdict.shown}
                        errors={form.errors}
                    />
                    <Button type="submit" disabled={pending}>
                        Changer mon mot de passe
                    </Button>
                </form>
                <BackLink to={paths.forgotPassword}>Je n'ai pas reçu de code, je recommence</BackLink>
            </div>
        </div>
    );
}

export function ForgotPasswordDonePage() {
    usePageTitle("Mot de passe changé");
    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Mon mot de passe est changé</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Maintenant, je me connecte avec mon identifiant et mon nouveau mot de passe.
                </p>
                <ButtonsGroup buttons={[{ children: "Me connecter", linkProps: { to: paths.login } }]} />
            </div>
        </div>
    );
}
