import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { FormAlert, problemMessage, RequiredFieldsNotice, TextField, useFormErrors } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { useDialogFocus } from "../shared/components/useDialogFocus";
import { caregiversApi, MAX_CAREGIVERS, type Caregiver } from "./caregivers";
import { paths } from "../shared/paths";
import type { Me } from "./patient";
import { formatLongDate } from "./sharing";

const TITLE = "Mes proches aidants";

/** The confirmation before a caregiver is removed (one modal for the page). */
const removeModal = createModal({ id: "confirmer-retrait-aidant", isOpenedByDefault: false });

/** /mon-dmp/gestion/aidants: who helps me follow my DMP; invite (3 at most), remove. */
export function CaregiversPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? <NoCurrentRecord title={TITLE} /> : <Caregivers me={me} recordId={me.currentRecordId} />
            }
        </RequirePatient>
    );
}

type State = { kind: "loading" } | { kind: "ready"; caregivers: Caregiver[] } | { kind: "error"; message: string };
type Field = "firstName" | "lastName" | "email";

function Caregivers(props: { me: Me; recordId: string }) {
    const { recordId } = props;
    const [state, setState] = useState<State>({ kind: "loading" });
    const [notice, setNotice] = useState<string | null>(null);
    const [actionError, setActionError] = useState<string | null>(null);
    const [target, setTarget] = useState<Caregiver | null>(null);
    const [busy, setBusy] = useState(false);
    const statusRef = useRef<HTMLDivElement>(null);
    const dialogFocus = useDialogFocus(removeModal.id);
    const [firstName, setFirstName] = useState("");
    const [lastName, setLastName] = useState("");
    const [email, setEmail] = useState("");
    const form = useFormErrors<Field>();

    const load = useCallback(async () => {
        const result = await apiFetch<{ caregivers: Caregiver[] }>(caregiversApi(recordId));
        setState(result.ok ? { kind: "ready", caregivers: result.data.caregivers } : { kind: "error", message: problemMessage(result.problem) });
    }, [recordId]);
    useEffect(() => {
        void load();
    }, [load]);

    async function invite(event: FormEvent) {
        event.preventDefault();
        const errors: Partial<Record<Field, string>> = {};
        if (firstName.trim() === "") errors.firstName = "Écrivez son prénom.";
        if (lastName.trim() === "") errors.lastName = "Écrivez son nom.";
        if (email.trim() === "") errors.email = "Écrivez son adresse mail.";
        if (Object.keys(errors).length > 0) {
            form.show(errors, "Des informations manquent.");
            return;
        }
        setBusy(true);
        setNotice(null);
        const result = await apiFetch<unknown>(caregiversApi(recordId), { method: "POST", body: { firstName, lastName, email } });
        setBusy(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["firstName", "lastName", "email"]);
            return;
        }
        form.clear();
        setNotice(`C'est fait. ${firstName} ${lastName} va recevoir un mail avec un code d'invitation, valable 14 jours.`);
        setFirstName("");
        setLastName("");
        setEmail("");
        await load();
    }

    async function remove() {
        if (target === null) return;
        setBusy(true);
        setActionError(null);
        setNotice(null);
        const result = await apiFetch<void>(`${caregiversApi(recordId)}/${encodeURIComponent(target.caregiverId)}`, { method: "DELETE" });
        setBusy(false);
        removeModal.close();
        if (!result.ok) {
            setActionError(problemMessage(result.problem));
            return;
        }
        setNotice(`C'est fait. ${target.firstName} ${target.lastName} n'a plus accès à mon DMP.`);
        await load();
        // Their card has left the list: the focus goes to the message.
        dialogFocus.afterAction(statusRef);
    }

    const full = state.kind === "ready" && state.caregivers.length >= MAX_CAREGIVERS;
    return (
        <>
            <h1>{TITLE}</h1>
            <CurrentRecordNotice me={props.me} />
            <p className={fr.cx("fr-text--lead")}>
                Un proche aidant peut lire mes documents et en ajouter, et reçoit les notifications. Il ne peut pas gérer les accès
                à mon DMP, ni le fermer, ni voir l'historique. J'en choisis {MAX_CAREGIVERS} au plus.
            </p>
            <div role="status" ref={statusRef}>{notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}</div>
            {actionError !== null && <Alert className={fr.cx("fr-mb-3w")} severity="error" small description={actionError} role="alert" />}

            {state.kind === "loading" && <p role="status">Chargement…</p>}
            {state.kind === "error" && <Alert severity="error" title="Nous n'avons pas pu afficher mes proches aidants" description={state.message} role="alert" as="h2" />}
            {state.kind === "ready" &&
                (state.caregivers.length === 0 ? (
                    <p>Je n'ai pas encore de proche aidant.</p>
                ) : (
                    <ul className={fr.cx("fr-raw-list")}>
                        {state.caregivers.map((c) => (
                            <li key={c.caregiverId} className={fr.cx("fr-card", "fr-p-3w", "fr-mb-2w")}>
                                <h2 className={fr.cx("fr-h6", "fr-mb-1v")}>
                                    {c.firstName} {c.lastName}
                                </h2>
                                <p className={fr.cx("fr-mb-2w")}>
                                    {c.status === "active" && c.acceptedAt !== null
                                        ? `Proche aidant depuis le ${formatLongDate(c.acceptedAt)}.`
                                        : `Invité le ${formatLongDate(c.invitedAt)} : l'invitation attend sa réponse jusqu'au ${formatLongDate(c.expiresAt)}.`}
                                </p>
                                <Button
                                    priority="secondary"
                                    size="small"
                                    // One id per button: with several caregivers, the modal's own id would repeat.
                                    nativeButtonProps={{ ...removeModal.buttonProps, id: `retirer-aidant-${c.caregiverId}` }}
                                    onClick={() => setTarget(c)}
                                >
                                    Retirer {c.firstName} {c.lastName}
                                </Button>
                            </li>
                        ))}
                    </ul>
                ))}

            <h2 className={fr.cx("fr-mt-4w")}>Inviter un proche</h2>
            {full ? (
                <p>J'ai déjà {MAX_CAREGIVERS} proches aidants ou invitations en cours. Pour en inviter un autre, j'en retire un.</p>
            ) : (
                <form ref={form.formRef} onSubmit={(e) => void invite(e)} noValidate>
                    <RequiredFieldsNotice />
                    {form.general !== null && <FormAlert message={form.general} innerRef={form.generalRef} />}
                    <TextField label="Son prénom" name="firstName" value={firstName} onChange={setFirstName} error={form.errors.firstName} autoComplete="off" />
                    <TextField label="Son nom" name="lastName" value={lastName} onChange={setLastName} error={form.errors.lastName} autoComplete="off" />
                    <TextField
                        label="Son adresse mail"
                        hint="Le code d'invitation lui sera envoyé à cette adresse."
                        name="email"
                        type="email"
                        value={email}
                        onChange={setEmail}
                        error={form.errors.email}
                        autoComplete="off"
                    />
                    <Button type="submit" disabled={busy}>
                        Inviter ce proche
                    </Button>
                </form>
            )}

            <removeModal.Component
                title="Retirer ce proche aidant ?"
                buttons={[
                    { children: "Non, je le garde", priority: "secondary" },
                    { children: "Oui, je le retire", doClosesModal: false, disabled: busy, onClick: () => void remove() }
                ]}
            >
                <p>
                    {target === null ? "Cette personne" : `${target.firstName} ${target.lastName}`} ne pourra plus lire mon DMP ni y
                    ajouter de documents, dès maintenant.
                </p>
            </removeModal.Component>

            <BackLink to={paths.sharing}>Retour à la gestion du DMP</BackLink>
        </>
    );
}
