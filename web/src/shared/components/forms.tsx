import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import type { ProblemDetails } from "../api";

/**
 * Form helpers shared by the patient screens: errors shown next to their field
 * (DSFR error state, linked with aria-describedby), the focus moved to the first
 * wrong field after a submit, and a general message when the error belongs to no field.
 */

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

interface FieldProblem {
    field: string;
    message: string;
}

function isFieldProblem(value: unknown): value is FieldProblem {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const record = value as Record<string, unknown>;
    return typeof record.field === "string" && typeof record.message === "string";
}

/** The text to show for a problem without field errors: its detail, else its title. */
export function problemMessage(problem: ProblemDetails): string {
    if (typeof problem.detail === "string" && problem.detail !== "") {
        return problem.detail;
    }
    return problem.title ?? "Une erreur est arrivée. Réessayez dans quelques minutes.";
}

/** The `errors: [{field, message}]` extension of a problem, keyed by field (first message wins). */
export function problemFieldErrors(problem: ProblemDetails): Record<string, string> {
    const result: Record<string, string> = {};
    const errors = problem.errors;
    if (Array.isArray(errors)) {
        for (const item of errors) {
            if (isFieldProblem(item) && result[item.field] === undefined) {
                result[item.field] = item.message;
            }
        }
    }
    return result;
}

const FIRST_ERROR_SELECTOR = '[aria-invalid="true"], .fr-fieldset--error input';

/**
 * Errors of one form. `show` and `showProblem` move the focus to the first field in
 * error (in page order), or to the general message when no field is wrong.
 */
export function useFormErrors<K extends string>() {
    const [errors, setErrors] = useState<FieldErrors<K>>({});
    const [general, setGeneral] = useState<ReactNode>(null);
    const [focusRequest, setFocusRequest] = useState(0);
    const formRef = useRef<HTMLFormElement>(null);
    const generalRef = useRef<HTMLDivElement>(null);

    useEffect(() => {
        if (focusRequest === 0) {
            return;
        }
        const field = formRef.current?.querySelector<HTMLElement>(FIRST_ERROR_SELECTOR);
        const target = field ?? generalRef.current;
        target?.focus();
    }, [focusRequest]);

    const show = useCallback((fieldErrors: FieldErrors<K>, message: ReactNode = null) => {
        setErrors(fieldErrors);
        setGeneral(message);
        setFocusRequest((n) => n + 1);
    }, []);

    /** Shows the server's field errors next to their fields; anything else as the general message. */
    const showProblem = useCallback(
        (problem: ProblemDetails, fields: readonly K[]) => {
            const byField = problemFieldErrors(problem);
            const known: FieldErrors<K> = {};
            const unknown: string[] = [];
            for (const [field, message] of Object.entries(byField)) {
                if ((fields as readonly string[]).includes(field)) {
                    known[field as K] = message;
                } else {
                    unknown.push(message);
                }
            }
            const hasKnown = Object.keys(known).length > 0;
            const message = unknown.length > 0 ? unknown.join(" ") : hasKnown ? null : problemMessage(problem);
            show(known, message);
        },
        [show]
    );

    const clear = useCallback(() => {
        setErrors({});
        setGeneral(null);
    }, []);

    return { errors, general, formRef, generalRef, show, showProblem, clear };
}

/** The general error of a form, in a DSFR alert that receives the focus. */
export function FormAlert(props: { message: ReactNode; innerRef: React.RefObject<HTMLDivElement | null>; title?: string }) {
    return (
        <div ref={props.innerRef} tabIndex={-1} className={fr.cx("fr-mb-3w")}>
            {props.message !== null && (
                <Alert
                    severity="error"
                    title={props.title ?? "Nous n'avons pas pu continuer"}
                    description={props.message}
                    role="alert"
                    as="h2"
                />
            )}
        </div>
    );
}

export function RequiredFieldsNotice() {
    return <p className={fr.cx("fr-text--sm")}>Tous les champs sont obligatoires, sauf si c'est écrit « facultatif ».</p>;
}

interface TextFieldProps {
    label: ReactNode;
    hint?: ReactNode;
    name: string;
    value: string;
    onChange: (value: string) => void;
    error?: string;
    type?: "text" | "email" | "tel";
    autoComplete?: string;
    inputMode?: "text" | "numeric" | "tel" | "email";
    maxLength?: number;
    spellCheck?: boolean;
    autoCapitalize?: "off" | "characters" | "words";
    className?: string;
    id?: string;
}

/** A DSFR text input whose error message is next to it and announced with it. */
export function TextField(props: TextFieldProps) {
    const inputId = props.id ?? `champ-${props.name}`;
    return (
        <Input
            className={props.className}
            label={props.label}
            hintText={props.hint}
            state={props.error !== undefined ? "error" : "default"}
            stateRelatedMessage={props.error}
            nativeInputProps={{
                id: inputId,
                name: props.name,
                type: props.type ?? "text",
                value: props.value,
                onChange: (event) => props.onChange(event.target.value),
                autoComplete: props.autoComplete,
                inputMode: props.inputMode,
                maxLength: props.maxLength,
                spellCheck: props.spellCheck,
                autoCapitalize: props.autoCapitalize,
                "aria-invalid": props.error !== undefined ? true : undefined
            }}
        />
    );
}

interface PasswordFieldProps {
    label: ReactNode;
    hint?: ReactNode;
    name: string;
    value: string;
    onChange: (value: string) => void;
    error?: string;
    autoComplete: "current-password" | "new-password";
    /** Ids of other elements that describe the field (e.g. a live verdict). */
    describedBy?: string;
}

/** The DSFR password input (with its «Afficher» box), error next to it. */
export function PasswordField(props: PasswordFieldProps) {
    return (
        <PasswordInput
            label={props.label}
            hintText={props.hint}
            messagesHint=""
            messages={props.error !== undefined ? [{ severity: "error", message: props.error }] : []}
            nativeInputProps={{
                id: `champ-${props.name}`,
                name: props.name,
                value: props.value,
                onChange: (event) => props.onChange(event.target.value),
                autoComplete: props.autoComplete,
                spellCheck: false,
                autoCapitalize: "off",
                "aria-invalid": props.error !== undefined ? true : undefined,
                "aria-describedby": props.describedBy
            }}
        />
    );
}

/** An 8-digit one-time code field. */
export function OneTimeCodeField(props: {
    value: string;
    onChange: (value: string) => void;
    error?: string;
    label?: ReactNode;
    hint?: ReactNode;
}) {
    return (
        <TextField
            label={props.label ?? "Le code reçu"}
            hint={props.hint ?? "8 chiffres. Par exemple : 12345678"}
            name="code"
            value={props.value}
            onChange={props.onChange}
            error={props.error}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={12}
            spellCheck={false}
        />
    );
}

/** Digits only: what people type around a one-time code (spaces, dashes) is removed. */
export function normalizeOneTimeCode(input: string): string {
    return input.replace(/[\s-]+/g, "");
}

export function checkOneTimeCode(code: string): string | undefined {
    if (code === "") {
        return "Écrivez le code de 8 chiffres.";
    }
    if (!/^\d{8}$/.test(code)) {
        return "Le code a 8 chiffres, sans lettre.";
    }
    return undefined;
}
