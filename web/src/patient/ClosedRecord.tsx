import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { CopyDownload } from "../shared/components/CopyDownload";
import { problemMessage } from "../shared/components/forms";
import { recordApi, type Lifecycle } from "./lifecycle";
import { paths } from "../shared/paths";
import type { ManagedRecord } from "./patient";
import { formatLongDate } from "./sharing";

/**
 * What a closed record's home says (DOMAIN.md §7), instead of the tiles: it is closed, since when
 * and until when it is kept; one button reopens it. Its titulaire may also take a copy or have it
 * destroyed at once; a legal representative reopens it first (the access policy says so).
 */
export function ClosedRecord(props: { record: ManagedRecord; notice: string | null; reload: () => Promise<void> }) {
    const { record, reload } = props;
    const holder = record.role === "holder";
    const [lifecycle, setLifecycle] = useState<Lifecycle | null>(null);
    const [pending, setPending] = useState(false);
    const [error, setError] = useState<string | null>(null);

    useEffect(() => {
        void apiFetch<Lifecycle>(`${recordApi(record.recordId)}/lifecycle`).then((result) => {
            if (result.ok) setLifecycle(result.data);
        });
    }, [record.recordId]);

    async function reactivate() {
        setPending(true);
        setError(null);
        const result = await apiFetch<unknown>(`${recordApi(record.recordId)}/reactivation`, { method: "POST" });
        setPending(false);
        if (!result.ok) {
            setError(problemMessage(result.problem));
            return;
        }
        await reload();
    }

    return (
        <>
            <h1>{holder ? "Mon DMP est fermé" : `Le DMP de ${record.firstNames} ${record.birthName} est fermé`}</h1>
            {props.notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={props.notice} />}
            {record.closedAt !== null && <p className={fr.cx("fr-text--lead")}>Il est fermé depuis le {formatLongDate(record.closedAt)}.</p>}
            <p>Les professionnels de santé ne peuvent pas le lire. Ils ne peuvent pas y ajouter de documents.</p>
            {lifecycle?.destroyOn && <p>Il est gardé jusqu'au {formatLongDate(lifecycle.destroyOn)}. Ensuite, il sera détruit.</p>}

            <h2>Je veux de nouveau utiliser {holder ? "mon" : "ce"} DMP</h2>
            <p>Les professionnels de santé pourront de nouveau le lire, selon mes choix.</p>
            {error !== null && <Alert className={fr.cx("fr-mb-2w")} severity="error" small description={error} role="alert" />}
            <Button iconId="fr-icon-refresh-line" disabled={pending} onClick={() => void reactivate()}>
                {holder ? "Réactiver mon DMP" : "Réactiver ce DMP"}
            </Button>

            {holder && (
                <>
                    <h2 className={fr.cx("fr-mt-6w")}>Je peux aussi</h2>
                    <CopyDownload recordId={record.recordId} />
                    <p>
                        <Link to={paths.deleteRecord}>Supprimer définitivement mon DMP</Link>, tout de suite, sans attendre 10 ans.
                    </p>
                </>
            )}
        </>
    );
}
