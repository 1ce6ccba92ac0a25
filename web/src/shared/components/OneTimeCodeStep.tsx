import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../api";
import { checkOneTimeCode, FormAlert, normalizeOneTimeCode, OneTimeCodeField, problemMessage, useFormErrors } from "./forms";
import { sentBy, type LoginChallenge } from "../login";
import type { AppPath } from "../paths";

/** Statuses meaning the code cannot be used any more: the person starts again from the first step. */
const START_AGAIN = new Set([404, 410, 429]);

export interface OneTimeCodeStepProps<T> {
    initial: LoginChallenge;
    heading: string;
    submitLabel: string;
    verifyUrl: string;
    resendUrl: string;
    /** This page (to keep a new destination on reload) and where to start again. */
    selfPath: AppPath;
    restartPath: AppPath;
    onVerified: (answer: T) => void;
}

/** The second step of a sign-in: the 8-digit code sent by SMS or mail, and a new one on demand. */
export function OneTimeCodeStep<T>(props: OneTimeCodeStepProps<T>) {
    const navigate = useNavigate();
    const [challenge, setChallenge] = useState(props.initial);
    const [code, setCode] = useState("");
    const [pending, setPending] = useState(false);
    const [resent, setResent] = useState<string | null>(null);
    const [resendError, setResendError] = useState<string | null>(null);
    const form = useFormErrors<"code">();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) {
            return;
        }
        const typed = normalizeOneTimeCode(code);
        const error = checkOneTimeCode(typed);
        if (error !== undefined) {
            form.show({ code: error });
            return;
        }
        setPending(true);
        const result = await apiFetch<T>(props.verifyUrl, {
            method: "POST",
            body: { challengeId: challenge.challengeId, code: typed }
        });
        setPending(false);
        if (!result.ok) {
            if (START_AGAIN.has(result.status)) {
                navigate(props.restartPath, { replace: true, state: { notice: problemMessage(result.problem) } });
                return;
            }
            form.showProblem(result.problem, ["code"]);
            return;
        }
        props.onVerified(result.data);
    }

    async function resend() {
        setResent(null);
        setResendError(null);
        const result = await apiFetch<{ channel: LoginChallenge["channel"]; destination: string }>(
            props.resendUrl,
            { method: "POST", body: { challengeId: challenge.challengeId } }
        );
        if (!result.ok) {
            if (result.status === 0) {
                setResendError(problemMessage(result.problem));
                return;
            }
            // Unknown or finished request, or too many codes asked: start again from the login.
            navigate(props.restartPath, { replace: true, state: { notice: problemMessage(result.problem) } });
            return;
        }
        const next = { ...challenge, channel: result.data.channel, destination: result.data.destination };
        setChallenge(next);
        // Keep the new destination if the page is reloaded.
        navigate(props.selfPath, { replace: true, state: next });
        setResent(`Nous avons envoyé un nouveau code ${sentBy(next.channel)} ${next.destination}.`);
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>{props.heading}</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Nous avons envoyé un code à 8 chiffres {sentBy(challenge.channel)}{" "}
                    <span className="dmp-nowrap">{challenge.destination}</span>. Il est valable 10 minutes.
                </p>

                <FormAlert message={form.general} innerRef={form.generalRef} />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <OneTimeCodeField value={code} onChange={setCode} error={form.errors.code} />
                    <Button type="submit" disabled={pending}>
                        {props.submitLabel}
                    </Button>
                </form>

                <h2 className={fr.cx("fr-h5", "fr-mt-6w")}>Je n'ai pas reçu le code ?</h2>
                <p>J'attends 1 minute. Je regarde aussi dans les courriers indésirables (spams).</p>
                <Button priority="tertiary" onClick={() => void resend()}>
                    Recevoir un nouveau code
                </Button>
                <div role="status" className={fr.cx("fr-mt-2w")}>
                    {resent !== null && <Alert severity="success" small description={resent} />}
                </div>
                {resendError !== null && (
                    <Alert className={fr.cx("fr-mt-2w")} severity="error" small description={resendError} role="alert" />
                )}
            </div>
        </div>
    );
}
