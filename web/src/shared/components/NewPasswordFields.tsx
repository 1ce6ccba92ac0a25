import { PasswordField, type FieldErrors } from "./forms";
import { PasswordVerdictView, type PasswordVerdict } from "./PasswordVerdict";

export type NewPasswordField = "newPassword" | "newPasswordConfirmation";

/** Errors of the two "new password" fields before sending (the server checks again). */
export function checkNewPassword(
    password: string,
    confirmation: string,
    verdict: PasswordVerdict | null
): FieldErrors<NewPasswordField> {
    const errors: FieldErrors<NewPasswordField> = {};
    if (password === "") {
        errors.newPassword = "Choisissez un mot de passe.";
    } else if (verdict !== null && !verdict.acceptable) {
        errors.newPassword = verdict.problems[0] ?? "Ce mot de passe n'est pas assez sûr.";
    }
    if (confirmation === "") {
        errors.newPasswordConfirmation = "Écrivez une 2e fois votre nouveau mot de passe.";
    } else if (password !== confirmation) {
        errors.newPasswordConfirmation = "Les 2 mots de passe ne sont pas pareils.";
    }
    return errors;
}

/** The new password typed twice, with the live verdict between the two fields. */
export function NewPasswordFields(props: {
    password: string;
    onPasswordChange: (value: string) => void;
    confirmation: string;
    onConfirmationChange: (value: string) => void;
    verdict: PasswordVerdict | null;
    errors: FieldErrors<NewPasswordField>;
}) {
    const verdictId = "verdict-mot-de-passe";
    return (
        <>
            <PasswordField
                label="Mon nouveau mot de passe"
                hint="Je le choisis. Je l'écrirai à chaque connexion."
                name="newPassword"
                value={props.password}
                onChange={props.onPasswordChange}
                error={props.errors.newPassword}
                autoComplete="new-password"
                describedBy={verdictId}
            />
            <PasswordVerdictView id={verdictId} verdict={props.verdict} />
            <PasswordField
                label="J'écris une 2e fois mon nouveau mot de passe"
                name="newPasswordConfirmation"
                value={props.confirmation}
                onChange={props.onConfirmationChange}
                error={props.errors.newPasswordConfirmation}
                autoComplete="new-password"
            />
        </>
    );
}
