import { useState, type FormEvent } from "react";
import { apiFetch } from "../api";
import type { LoginChallenge } from "../login";
import { problemMessage, useFormErrors, type FieldErrors } from "./forms";

/** Answers that are about the whole sign-in rather than one field, with the alert's title. */
const TITLES: Record<number, string> = {
    401: "Identifiant ou mot de passe faux",
    423: "Votre compte est bloqué pour le moment",
    429: "Trop d'essais"
};

/**
 * The first step of a sign-in (patients at /connexion, agents at /agent): an identifier and
 * a password sent to `url`, which answers with the one-time code's challenge.
 */
export function useCredentialsStep<IdField extends string>(options: {
    url: string;
    idField: IdField;
    /** «Écrivez votre identifiant.» */
    idMissing: string;
    onChallenge: (challenge: LoginChallenge) => void;
}) {
    type Field = IdField | "password";
    const [id, setId] = useState("");
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
        if (id.trim() === "") {
            errors[options.idField] = options.idMissing;
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
        const result = await apiFetch<LoginChallenge>(options.url, {
            method: "POST",
            body: { [options.idField]: id.trim(), password }
        });
        setPending(false);
        if (!result.ok) {
            const title = TITLES[result.status];
            setAlertTitle(title);
            if (title !== undefined) {
                form.show({}, problemMessage(result.problem));
            } else {
                form.showProblem(result.problem, [options.idField, "password"]);
            }
            return;
        }
        options.onChallenge(result.data);
    }

    return { id, setId, password, setPassword, pending, alertTitle, form, submit };
}
