import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { problemMessage } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { NOTIFICATION_PREFERENCES_API, type NotificationPreference, type NotificationPreferences } from "./history";
import "./history.css";
import { paths } from "../shared/paths";
import { formatPhone } from "./patient";

const TITLE = "Mes notifications";

export function NotificationsPage() {
    usePageTitle(TITLE);
    return <RequirePatient>{() => <Notifications />}</RequirePatient>;
}

type State =
    | { kind: "loading" }
    | { kind: "ready"; saved: NotificationPreferences; draft: NotificationPreference[] }
    | { kind: "error"; message: string };

function Notifications() {
    const [state, setState] = useState<State>({ kind: "loading" });
    const [saving, setSaving] = useState(false);
    const [notice, setNotice] = useState<{ ok: boolean; message: string } | null>(null);
    const noticeRef = useRef<HTMLDivElement>(null);

    useEffect(() => {
        let live = true;
        void apiFetch<NotificationPreferences>(NOTIFICATION_PREFERENCES_API).then((result) => {
            if (!live) return;
            setState(
                result.ok
                    ? { kind: "ready", saved: result.data, draft: result.data.preferences }
                    : { kind: "error", message: problemMessage(result.problem) }
            );
        });
        return () => {
            live = false;
        };
    }, []);

    useEffect(() => {
        if (notice !== null) noticeRef.current?.focus();
    }, [notice]);

    if (state.kind === "loading") {
        return (
            <>
                <h1>{TITLE}</h1>
                <p role="status">Chargement…</p>
            </>
        );
    }
    if (state.kind === "error") {
        return (
            <>
                <h1>{TITLE}</h1>
                <Alert severity="error" title="Nous n'avons pas pu afficher mes choix" description={state.message} role="alert" as="h2" />
                <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
            </>
        );
    }

    const { contact } = state.saved;
    const draft = state.draft;
    const change = (family: string, channel: "email" | "sms", on: boolean) => {
        setNotice(null);
        setState({ ...state, draft: draft.map((p) => (p.family === family ? { ...p, [channel]: on } : p)) });
    };

    async function save(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        setSaving(true);
        const result = await apiFetch<NotificationPreferences>(NOTIFICATION_PREFERENCES_API, {
            method: "PUT",
            body: { preferences: draft.map(({ family, email, sms }) => ({ family, email, sms })) }
        });
        setSaving(false);
        if (!result.ok) {
            setNotice({ ok: false, message: problemMessage(result.problem) });
            return;
        }
        setState({ kind: "ready", saved: result.data, draft: result.data.preferences });
        setNotice({ ok: true, message: "Mes choix sont enregistrés." });
    }

    return (
        <>
            <h1>{TITLE}</h1>
            <p className={fr.cx("fr-text--lead")}>
                Je choisis les messages que je reçois quand quelque chose se passe dans mon DMP.
            </p>
            <p>
                Ces messages ne disent jamais rien de ma santé. Ils me disent seulement de regarder l'
                <Link to={paths.history}>historique des accès</Link>.
            </p>
            <ul>
                <li>{contact.email !== null ? <>Les mails partent à : <strong>{contact.email}</strong></> : "Je n'ai pas donné d'adresse mail : je ne reçois pas de mail."}</li>
                <li>
                    {contact.mobile !== null ? (
                        <>Les SMS partent au : <strong>{formatPhone(contact.mobile)}</strong></>
                    ) : (
                        "Je n'ai pas donné de numéro de portable : je ne reçois pas de SMS."
                    )}
                </li>
            </ul>
            <p className={fr.cx("fr-text--sm")}>
                Pour changer mon mail ou mon portable : <Link to={paths.myInformation}>Mes informations</Link>.
            </p>

            <div ref={noticeRef} tabIndex={-1}>
                {notice !== null && (
                    <Alert
                        className={fr.cx("fr-mb-3w")}
                        severity={notice.ok ? "success" : "error"}
                        small
                        description={notice.message}
                        role={notice.ok ? "status" : "alert"}
                    />
                )}
            </div>

            <form onSubmit={save} noValidate>
                {draft.map((preference) => (
                    <fieldset key={preference.family} className={`${fr.cx("fr-fieldset")} dmp-notice-family`}>
                        <legend className={fr.cx("fr-fieldset__legend")}>
                            {preference.label}
                            <span className={fr.cx("fr-hint-text")}>{preference.description}</span>
                        </legend>
                        {(["email", "sms"] as const).map((channel) => (
                            <div key={channel} className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
                                <ToggleSwitch
                                    id={`notif-${preference.family}-${channel}`}
                                    label={
                                        <>
                                            {channel === "email" ? "Par mail" : "Par SMS"}
                                            <span className={fr.cx("fr-sr-only")}> : {preference.label}</span>
                                        </>
                                    }
                                    labelPosition="right"
                                    checked={preference[channel]}
                                    onChange={(on) => change(preference.family, channel, on)}
                                />
                            </div>
                        ))}
                    </fieldset>
                ))}
                <Button type="submit" disabled={saving} className={fr.cx("fr-mt-2w")}>
                    {saving ? "Enregistrement…" : "Enregistrer mes choix"}
                </Button>
            </form>

            <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
        </>
    );
}
