import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { fetchMe, type Me } from "./patient";
import { paths } from "../shared/paths";
import { focusIsOnMain, focusPageHeading } from "../shared/components/focus";

type State = { kind: "loading" } | { kind: "ready"; me: Me } | { kind: "error"; message: string };

/**
 * For pages that need a signed-in patient: loads GET /api/me, sends the person to
 * /connexion when not signed in (401), and to /premiere-connexion while the
 * first-login wizard is not finished (and away from it once it is).
 */
export function useSignedInPatient(options: { firstLogin?: boolean } = {}) {
    const navigate = useNavigate();
    const [state, setState] = useState<State>({ kind: "loading" });
    const wantsWizard = options.firstLogin === true;

    const load = useCallback(async () => {
        const result = await fetchMe();
        if (!result.ok) {
            if (result.status === 401) {
                navigate(paths.login, { replace: true, state: { signedOut: true } });
                return;
            }
            setState({ kind: "error", message: result.problem.detail ?? result.problem.title ?? "" });
            return;
        }
        const me = result.data;
        if (!wantsWizard && me.firstLoginStep !== null) {
            navigate(paths.firstLogin, { replace: true });
            return;
        }
        if (wantsWizard && me.firstLoginStep === null) {
            navigate(paths.myRecord, { replace: true });
            return;
        }
        setState({ kind: "ready", me });
    }, [navigate, wantsWizard]);

    useEffect(() => {
        void load();
    }, [load]);

    return { state, reload: load };
}

/**
 * Renders `children` with the signed-in patient once loaded. While loading, a short
 * status; then, if the focus was put on <main> by the navigation, it moves to the h1.
 */
export function RequirePatient(props: {
    firstLogin?: boolean;
    children: (me: Me, reload: () => Promise<void>) => ReactNode;
}) {
    const { state, reload } = useSignedInPatient({ firstLogin: props.firstLogin });
    const focusedOnce = useRef(false);

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
                <h1>Mon DMP</h1>
                <Alert
                    severity="error"
                    title="Nous n'avons pas pu ouvrir votre DMP"
                    description={state.message || "Réessayez dans quelques minutes."}
                    role="alert"
                    as="h2"
                />
                <Button className={fr.cx("fr-mt-3w")} onClick={() => void reload()}>
                    Réessayer
                </Button>
            </>
        );
    }
    return <>{props.children(state.me, reload)}</>;
}
