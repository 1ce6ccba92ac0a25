import { useEffect, useState, type FormEvent } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { ToggleSwitch } from "@codegouvfr/react-dsfr/ToggleSwitch";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { FormAlert, problemMessage, useFormErrors } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";
import type { Me } from "./patient";
import { sharingApi, type EmergencySwitches } from "./sharing";
import { useSharing } from "./SharingPage";

const TITLE = "Accès en urgence";

/** /mon-dmp/gestion/urgence: the three switches of emergency access, said simply. */
export function SharingEmergencyPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title={TITLE} />
                ) : (
                    <Emergency me={me} recordId={me.currentRecordId} />
                )
            }
        </RequirePatient>
    );
}

function Emergency(props: { me: Me; recordId: string }) {
    const { me, recordId } = props;
    const { state, reload } = useSharing(recordId);
    const [switches, setSwitches] = useState<EmergencySwitches | null>(null);
    const [pending, setPending] = useState(false);
    const [saved, setSaved] = useState(false);
    const form = useFormErrors<never>();

    useEffect(() => {
        if (state.kind === "ready") {
            setSwitches(state.sharing.emergency);
        }
    }, [state]);

    const set = (name: keyof EmergencySwitches) => (checked: boolean) => {
        setSaved(false);
        setSwitches((current) => (current === null ? current : { ...current, [name]: checked }));
    };

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending || switches === null) return;
        setPending(true);
        setSaved(false);
        const result = await apiFetch<EmergencySwitches>(`${sharingApi(recordId)}/emergency`, { method: "PUT", body: switches });
        setPending(false);
        if (!result.ok) {
            form.show({}, problemMessage(result.problem));
            return;
        }
        form.clear();
        setSwitches(result.data);
        setSaved(true);
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <BackLink to={paths.sharing}>Retour à la gestion du DMP</BackLink>
                <h1>{TITLE}</h1>
                <CurrentRecordNotice me={me} />
                <p className={fr.cx("fr-text--lead")}>
                    Parfois, je ne peux pas donner mon accord : par exemple, j'arrive aux urgences et je ne peux pas
                    parler. Je choisis maintenant qui peut lire mon DMP dans ce cas.
                </p>
                <p>
                    Chaque accès en urgence est inscrit dans l'historique de mon DMP, avec son motif. Je reçois un
                    message.
                </p>
                <div role="status">
                    {saved && (
                        <Alert className={fr.cx("fr-mb-3w")} severity="success" small description="C'est fait. Mes choix sont enregistrés." />
                    )}
                </div>
                <FormAlert message={form.general} innerRef={form.generalRef} title="Mes choix ne sont pas enregistrés" />

                {state.kind === "loading" && <p role="status">Chargement…</p>}
                {state.kind === "error" && (
                    <>
                        <Alert severity="error" title="Nous n'avons pas pu afficher mes choix" description={state.message} role="alert" as="h2" />
                        <Button className={fr.cx("fr-mt-2w")} priority="secondary" onClick={() => void reload()}>
                            Réessayer
                        </Button>
                    </>
                )}
                {switches !== null && (
                    <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                        <fieldset className={fr.cx("fr-fieldset")}>
                            <legend className={fr.cx("fr-fieldset__legend", "fr-h5")}>Mes 3 choix</legend>
                            <div className={fr.cx("fr-fieldset__element")}>
                                <ToggleSwitch
                                    id="urgence-bris-de-glace"
                                    label="Un professionnel de santé peut lire mon DMP en urgence (« bris de glace »)"
                                    helperText="Il soigne mon urgence et ne peut pas me demander mon accord. Il doit dire pourquoi. Son accès dure 24 heures."
                                    checked={switches.breakGlass}
                                    onChange={set("breakGlass")}
                                    labelPosition="left"
                                />
                            </div>
                            <div className={fr.cx("fr-fieldset__element")}>
                                <ToggleSwitch
                                    id="urgence-samu"
                                    label="Le médecin du SAMU (le 15) peut lire mon DMP"
                                    helperText="Quand j'appelle le 15, ou quand quelqu'un appelle le 15 pour moi, le médecin régulateur peut lire mon DMP pour mieux m'aider."
                                    checked={switches.samu}
                                    onChange={set("samu")}
                                    labelPosition="left"
                                />
                            </div>
                            <div className={fr.cx("fr-fieldset__element")}>
                                <ToggleSwitch
                                    id="urgence-documents-masques"
                                    label="En urgence, les documents que j'ai masqués sont visibles"
                                    helperText="Si j'ai masqué un document, le professionnel qui me soigne en urgence peut quand même le lire."
                                    checked={switches.maskedInEmergency}
                                    onChange={set("maskedInEmergency")}
                                    labelPosition="left"
                                />
                            </div>
                        </fieldset>
                        <Button type="submit" disabled={pending}>
                            Enregistrer mes choix
                        </Button>
                    </form>
                )}
                <BackLink to={paths.sharing}>Retour à la gestion du DMP</BackLink>
            </div>
        </div>
    );
}
