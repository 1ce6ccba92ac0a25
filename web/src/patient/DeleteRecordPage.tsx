import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CopyDownload } from "../shared/components/CopyDownload";
import { NoCurrentRecord } from "../shared/components/CurrentRecord";
import { FormAlert, TextField, useFormErrors } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { DELETION_WORD, recordApi } from "./lifecycle";
import { paths } from "../shared/paths";
import type { Me } from "./patient";

const TITLE = "Supprimer définitivement mon DMP";

/**
 * /mon-dmp/gestion/supprimer: destroying the record at once, for its titulaire. Said plainly that
 * nothing can be undone; a copy offered first; confirmed by typing a word, not by one click.
 */
export function DeleteRecordPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) => (me.currentRecordId === null ? <NoCurrentRecord title={TITLE} /> : <DeleteRecord me={me} recordId={me.currentRecordId} />)}
        </RequirePatient>
    );
}

function DeleteRecord(props: { me: Me; recordId: string }) {
    const { me, recordId } = props;
    const navigate = useNavigate();
    const [word, setWord] = useState("");
    const [pending, setPending] = useState(false);
    const form = useFormErrors<"confirmation">();
    const record = me.records.find((r) => r.recordId === recordId);
    const back = record?.status === "closed" ? paths.myRecord : paths.sharing;

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        if (word.trim().toUpperCase() !== DELETION_WORD) {
            form.show({ confirmation: `Pour confirmer, écrivez le mot ${DELETION_WORD} en lettres capitales.` });
            return;
        }
        setPending(true);
        const result = await apiFetch<{ destroyed: boolean }>(`${recordApi(recordId)}/deletion`, {
            method: "POST",
            body: { confirmation: word }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["confirmation"]);
            return;
        }
        navigate(paths.recordDeleted, { replace: true });
    }

    if (record?.role !== "holder") {
        return (
            <>
                <h1>{TITLE}</h1>
                <Alert
                    severity="info"
                    title="Seule la personne titulaire du DMP peut le supprimer"
                    description="Je peux fermer ce DMP : il est alors gardé 10 ans, sans que personne ne le lise."
                    as="h2"
                />
                <BackLink to={back}>Retour</BackLink>
            </>
        );
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <BackLink to={back}>Retour</BackLink>
                <h1>{TITLE}</h1>
                <p className={fr.cx("fr-text--lead")}>Je peux demander que mon DMP soit détruit tout de suite, pour toujours.</p>
                <Alert
                    className={fr.cx("fr-mb-3w")}
                    severity="warning"
                    title="Attention : je ne pourrai pas revenir en arrière"
                    description={
                        <ul className={fr.cx("fr-mb-0")}>
                            <li>Tous mes documents sont détruits. Personne ne pourra plus les lire, moi non plus.</li>
                            <li>Ma santé et mes volontés sont détruites aussi.</li>
                            <li>Mon identifiant et mon mot de passe ne marchent plus.</li>
                            <li>Plus tard, je pourrai créer un nouveau DMP. Il sera vide.</li>
                        </ul>
                    }
                    as="h2"
                />
                <h2 className={fr.cx("fr-h5")}>Avant, je garde une copie</h2>
                <p>Je peux télécharger une copie de mon DMP et la garder chez moi.</p>
                <CopyDownload recordId={recordId} />
                {record.status === "active" && (
                    <p>
                        Je préfère garder mon DMP 10 ans, sans que personne ne le lise ?{" "}
                        <Link to={paths.closeRecord}>Je ferme mon DMP</Link>.
                    </p>
                )}
                <h2 className={fr.cx("fr-h5")}>Je confirme la suppression</h2>
                <FormAlert message={form.general} innerRef={form.generalRef} title="Le DMP n'est pas supprimé" />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <TextField
                        label={`Pour confirmer, j'écris le mot ${DELETION_WORD}`}
                        hint="En lettres capitales."
                        name="confirmation"
                        value={word}
                        onChange={setWord}
                        error={form.errors.confirmation}
                        autoComplete="off"
                        spellCheck={false}
                        autoCapitalize="characters"
                        maxLength={100}
                    />
                    <Button type="submit" disabled={pending} iconId="fr-icon-delete-line">
                        Supprimer définitivement mon DMP
                    </Button>
                </form>
                <BackLink to={back}>Retour</BackLink>
            </div>
        </div>
    );
}

/** /dmp-supprime: the record is gone and so is the session; a new record can be created. */
export function RecordDeletedPage() {
    usePageTitle("Mon DMP est supprimé");
    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Mon DMP est supprimé</h1>
                <p className={fr.cx("fr-text--lead")}>Mon DMP et tous ses documents sont détruits.</p>
                <p>Je ne suis plus connecté. Mon identifiant ne marche plus.</p>
                <p>Je peux créer un nouveau DMP quand je veux.</p>
                <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
                    <li>
                        <Button linkProps={{ to: paths.create }}>Créer un nouveau DMP</Button>
                    </li>
                    <li>
                        <Button priority="secondary" linkProps={{ to: paths.home }}>
                            Retour à l'accueil
                        </Button>
                    </li>
                </ul>
            </div>
        </div>
    );
}
