import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { FormAlert, useFormErrors } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { recordApi } from "./lifecycle";
import { paths } from "../shared/paths";
import type { Me } from "./patient";

const TITLE = "Fermer mon DMP";

/** /mon-dmp/gestion/fermer: what closing means, in short sentences; one box to tick, one button. */
export function CloseRecordPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) => (me.currentRecordId === null ? <NoCurrentRecord title={TITLE} /> : <CloseRecord me={me} recordId={me.currentRecordId} />)}
        </RequirePatient>
    );
}

function CloseRecord(props: { me: Me; recordId: string }) {
    const { me, recordId } = props;
    const navigate = useNavigate();
    const [confirmed, setConfirmed] = useState(false);
    const [pending, setPending] = useState(false);
    const form = useFormErrors<"confirmed">();
    const record = me.records.find((r) => r.recordId === recordId);
    const holder = record?.role === "holder";

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        if (!confirmed) {
            form.show({ confirmed: "Cochez la case pour confirmer que vous voulez fermer le DMP." });
            return;
        }
        setPending(true);
        const result = await apiFetch<unknown>(`${recordApi(recordId)}/closure`, { method: "POST", body: { confirmed: true } });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["confirmed"]);
            return;
        }
        navigate(paths.myRecord, { replace: true, state: { notice: "C'est fait. Le DMP est fermé." } });
    }

    if (record?.status === "closed") {
        return (
            <>
                <h1>{TITLE}</h1>
                <p>Ce DMP est déjà fermé.</p>
                <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
            </>
        );
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <BackLink to={paths.sharing}>Retour à la gestion du DMP</BackLink>
                <h1>{TITLE}</h1>
                <CurrentRecordNotice me={me} />
                <p className={fr.cx("fr-text--lead")}>Je peux fermer mon DMP quand je veux.</p>
                <h2 className={fr.cx("fr-h5")}>Si je ferme mon DMP :</h2>
                <ul>
                    <li>Les professionnels de santé ne peuvent plus lire mon DMP.</li>
                    <li>Ils ne peuvent plus y ajouter de documents.</li>
                    <li>Mon DMP est gardé pendant 10 ans. Après 10 ans, il est détruit.</li>
                    <li>Pendant ces 10 ans, je peux le réactiver. Je me connecte, et je clique sur «&nbsp;Réactiver mon DMP&nbsp;».</li>
                    <li>Je peux toujours me connecter pour voir mes documents et télécharger une copie.</li>
                </ul>
                {holder && (
                    <p>
                        Je veux que mon DMP soit détruit tout de suite ?{" "}
                        <Link to={paths.deleteRecord}>Je demande la suppression définitive de mon DMP</Link>.
                    </p>
                )}
                <FormAlert message={form.general} innerRef={form.generalRef} title="Le DMP n'est pas fermé" />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <Checkbox
                        state={form.errors.confirmed !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.confirmed}
                        options={[
                            {
                                label: "J'ai compris. Je veux fermer mon DMP.",
                                nativeInputProps: {
                                    name: "confirmed",
                                    checked: confirmed,
                                    onChange: (event) => setConfirmed(event.target.checked)
                                }
                            }
                        ]}
                    />
                    <Button type="submit" disabled={pending} className={fr.cx("fr-mt-2w")}>
                        Fermer mon DMP
                    </Button>
                </form>
                <BackLink to={paths.sharing}>Retour à la gestion du DMP</BackLink>
            </div>
        </div>
    );
}
