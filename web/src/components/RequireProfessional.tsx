import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { fetchProfessional, type Professional } from "../pro";
import { paths } from "../paths";
import { focusIsOnMain, focusPageHeading } from "./focus";
import { problemMessage } from "./forms";

type State = { kind: "loading" } | { kind: "ready"; professional: Professional } | { kind: "error"; message: string };

/**
 * For the professional screens: loads GET /api/pro/me and sends the browser to /pro
 * (with «Se connecter avec Pro Santé Connect») when nobody is signed in.
 */
export function RequireProfessional(props: { children: (professional: Professional) => ReactNode }) {
    const navigate = useNavigate();
    const [state, setState] = useState<State>({ kind: "loading" });
    const focusedOnce = useRef(false);

    const load = useCallback(async () => {
        setState({ kind: "loading" });
        const result = await fetchProfessional();
        if (result.ok) {
            setState({ kind: "ready", professional: result.data });
        } else if (result.status === 401) {
            navigate(paths.pro, { replace: true });
        } else {
            setState({ kind: "error", message: problemMessage(result.problem) });
        }
    }, [navigate]);

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
                <h1>Espace professionnel</h1>
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
    return <>{props.children(state.professional)}</>;
}
