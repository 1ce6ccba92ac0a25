import { useEffect, useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
// Types only: erased at build time, so the policy itself stays in its own chunk.
import type { PasswordContext, PasswordVerdict } from "../../../../src/accounts/password-policy";

/**
 * The live verdict on a new password, computed in the browser with the same pure
 * policy as the server (src/accounts/password-policy.ts; the server checks again).
 * The policy and its dictionaries are loaded only on the screens that need them.
 */

export type { PasswordContext, PasswordVerdict };

type Evaluate = (password: string, context: PasswordContext) => PasswordVerdict;

function usePasswordPolicy(): Evaluate | null {
    const [evaluate, setEvaluate] = useState<Evaluate | null>(null);
    useEffect(() => {
        let live = true;
        void import("../../../../src/accounts/password-policy").then((policy) => {
            if (live) {
                setEvaluate(() => policy.evaluatePassword);
            }
        });
        return () => {
            live = false;
        };
    }, []);
    return evaluate;
}

/**
 * The verdict on a new password, in two forms. `shown` is drawn under the field shortly after
 * the person stops typing (null while empty or loading), so a screen reader is not told at each
 * key. `now(password)` judges exactly the value given, at once: a submit must check the value it
 * sends, not the one `shown` was drawn for, which may be an older one (a good password typed or
 * pasted over a weak one and sent within the delay was refused with the weak one's problem).
 */
export interface LivePasswordVerdict {
    shown: PasswordVerdict | null;
    now(password: string): PasswordVerdict | null;
}

export function usePasswordVerdict(password: string, context: PasswordContext): LivePasswordVerdict {
    const evaluate = usePasswordPolicy();
    const [shown, setShown] = useState<PasswordVerdict | null>(null);
    const contextKey = JSON.stringify(context);

    useEffect(() => {
        if (evaluate === null || password === "") {
            setShown(null);
            return;
        }
        const timer = window.setTimeout(() => {
            setShown(evaluate(password, JSON.parse(contextKey) as PasswordContext));
        }, 250);
        return () => window.clearTimeout(timer);
    }, [evaluate, password, contextKey]);

    return {
        shown,
        now: (value) => (evaluate === null || value === "" ? null : evaluate(value, JSON.parse(contextKey) as PasswordContext))
    };
}

const STRENGTH_WORDS = ["très faible", "faible", "moyen", "bon", "très bon"] as const;

/** Shown under the new password field; an aria-live region so screen readers hear the verdict. */
export function PasswordVerdictView(props: { id: string; verdict: PasswordVerdict | null }) {
    const { verdict } = props;
    return (
        <div id={props.id} aria-live="polite" className={fr.cx("fr-mb-3w")}>
            {verdict === null ? (
                <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
                    {/* The policy's PASSWORD_MIN_LENGTH: not imported, to keep the policy out of the main bundle. */}
                    Au moins 12 caractères. Le plus simple : 4 mots sans rapport entre eux, séparés par des
                    tirets. C'est facile à retenir et difficile à deviner.
                </p>
            ) : (
                <>
                    <div className="dmp-strength" aria-hidden="true">
                        {[0, 1, 2, 3].map((segment) => (
                            <span
                                key={segment}
                                className="dmp-strength__segment"
                                data-filled={segment < Math.max(verdict.score, 1) ? "true" : "false"}
                                data-acceptable={verdict.acceptable ? "true" : "false"}
                            />
                        ))}
                    </div>
                    <p
                        className={fr.cx(
                            "fr-message",
                            verdict.acceptable ? "fr-message--valid" : "fr-message--error",
                            "fr-mb-1v"
                        )}
                    >
                        {verdict.acceptable
                            ? `Ce mot de passe est accepté. Solidité : ${STRENGTH_WORDS[verdict.score]}.`
                            : `Ce mot de passe n'est pas assez sûr. Solidité : ${STRENGTH_WORDS[verdict.score]}.`}
                    </p>
                    {verdict.problems.length > 0 && (
                        <ul className={fr.cx("fr-text--sm", "fr-mb-1v")}>
                            {verdict.problems.map((problem) => (
                                <li key={problem}>{problem}</li>
                            ))}
                        </ul>
                    )}
                    {verdict.advice !== undefined && verdict.advice !== "" && (
                        <p className={fr.cx("fr-text--sm", "fr-mb-0")}>{verdict.advice}</p>
                    )}
                </>
            )}
        </div>
    );
}
