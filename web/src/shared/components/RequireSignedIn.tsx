import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ApiResult } from "../api";
import { focusIsOnMain, focusPageHeading } from "./focus";
import { problemMessage } from "./forms";

type State<T> = { kind: "loading" } | { kind: "ready"; who: T } | { kind: "error"; message: string };

/**
 * For the screens of a signed-in space (professional, insurance desk): loads who is
 * signed in and sends the browser to the space's sign-in page when nobody is.
 */
export function RequireSignedIn<T>(props: {
    load: () => Promise<ApiResult<T>>;
    signInPath: string;
    /** «Espace professionnel», «Guichet DMP»: the heading when the space cannot open. */
    spaceName: string;
    children: (who: T) => ReactNode;
}) {
    const { load: fetchWho, signInPath } = props;
    const navigate = useNavigate();
    const [state, setState] = useState<State<T>>({ kind: "loading" });
    const focusedOnce = useRef(false);

    const load = useCallback(async () => {
        setState({ kind: "loading" });
        const result = await fetchWho();
        if (result.ok) {
            setState({ kind: "ready", who: result.data });
        } else if (result.status === 401) {
            navigate(signInPath, { replace: true });
        } else {
            setState({ kind: "error", message: problemMessage(result.problem) });
        }
    }, [navigate, fetchWho, signInPath]);

    useEffect(() => {
        void load();
    }, [load]);

    useEffect(() => {
        if (state.kind !== "ready" || focusedOnce.current) {
            return;
        }
        focusedOnce.current = true;
        if (focusIsOnMain()) {
            focusPageHeading();
        }
    }, [state.kind]);

    if (state.kind === "loading") {
        return (
            <p role="status" className={fr.cx("fr-text--lead")}>
                Chargement…
            </p>
        );
    }
    if (state.kind === "error") {
        return (
            <>
                <h1>{props.spaceName}</h1>
                <Alert
                    severity="error"
                    title="Nous n'avons pas pu ouvrir votre espace"
                    description={state.message}
                    role="alert"
                    as="h2"
                />
                <Button className={fr.cx("fr-mt-3w")} onClick={() => void load()}>
                    Réessayer
                </Button>
            </>
        );
    }
    return <>{props.children(state.who)}</>;
}
