import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { saveBlob } from "../api";
import { fetchRecordCopy } from "../../patient/lifecycle";
import { problemMessage } from "./forms";

/** «Télécharger une copie de mon DMP»: one ZIP file; a refusal (too big, not allowed) is said here. */
export function CopyDownload(props: { recordId: string }) {
    const [pending, setPending] = useState(false);
    const [error, setError] = useState<string | null>(null);
    const [done, setDone] = useState(false);

    async function download() {
        setPending(true);
        setError(null);
        setDone(false);
        const result = await fetchRecordCopy(props.recordId);
        setPending(false);
        if (!result.ok) {
            setError(problemMessage(result.problem));
            return;
        }
        saveBlob(result.data.blob, result.data.fileName);
        setDone(true);
    }

    return (
        <div className={fr.cx("fr-mb-3w")}>
            <Button priority="secondary" iconId="fr-icon-download-line" disabled={pending} onClick={() => void download()}>
                Télécharger une copie de mon DMP
            </Button>
            <p className={fr.cx("fr-hint-text", "fr-mt-1w")}>
                Un fichier ZIP avec mes documents, ma santé, mes volontés et l'historique des accès.
            </p>
            <div role="status">
                {pending && <p>Préparation de la copie…</p>}
                {done && <Alert severity="success" small description="C'est fait. La copie de mon DMP est téléchargée." />}
            </div>
            {error !== null && <Alert severity="error" small description={error} role="alert" />}
        </div>
    );
}
