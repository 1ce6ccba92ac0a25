import { useRef, useState, type FormEvent } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { problemMessage } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { useDialogFocus } from "../shared/components/useDialogFocus";
import { paths } from "../shared/paths";
import type { Me } from "./patient";
import { professionalDetails, sharingApi, type SharedProfessional } from "./sharing";
import { useSharing } from "./SharingPage";
import "../shared/documents.css";

const TITLE = "Bloquer un professionnel";

/** The confirmation before a block (one modal for the page). */
const blockModal = createModal({ id: "confirmer-blocage", isOpenedByDefault: false });

/** /mon-dmp/gestion/bloquer: find a professional in the directory and block them; unblock. */
export function SharingBlockPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title={TITLE} />
                ) : (
                    <Blocks me={me} recordId={me.currentRecordId} />
                )
            }
        </RequirePatient>
    );
}

type Search =
    | { kind: "idle" }
    | { kind: "searching" }
    | { kind: "ready"; query: string; professionals: SharedProfessional[] }
    | { kind: "error"; message: string };

function Blocks(props: { me: Me; recordId: string }) {
    const { me, recordId } = props;
    const { state, reload } = useSharing(recordId);
    const [query, setQuery] = useState("");
    const [queryError, setQueryError] = useState<string | null>(null);
    const [search, setSearch] = useState<Search>({ kind: "idle" });
    const [target, setTarget] = useState<SharedProfessional | null>(null);
    const [busy, setBusy] = useState(false);
    const [notice, setNotice] = useState<string | null>(null);
    const [actionError, setActionError] = useState<string | null>(null);
    const resultsRef = useRef<HTMLHeadingElement>(null);
    const statusRef = useRef<HTMLDivElement>(null);
    const dialogFocus = useDialogFocus(blockModal.id);

    const sharing = state.kind === "ready" ? state.sharing : null;
    const treatingRpps = sharing?.treatingDoctor?.rpps ?? null;
    const blocked = new Set(sharing?.blocks.map((b) => b.rpps) ?? []);

    async function find(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        const q = query.trim();
        if (q.length < 2) {
            setQueryError("Écrivez au moins 2 lettres du nom.");
            document.getElementById("champ-nom")?.focus();
            return;
        }
        setQueryError(null);
        setSearch({ kind: "searching" });
        const result = await apiFetch<{ professionals: SharedProfessional[] }>(
            `/api/professionals?${new URLSearchParams({ q }).toString()}`
        );
        setSearch(
            result.ok
                ? { kind: "ready", query: q, professionals: result.data.professionals }
                : { kind: "error", message: problemMessage(result.problem) }
        );
        window.setTimeout(() => resultsRef.current?.focus(), 0);
    }

    async function block() {
        if (target === null) return;
        setBusy(true);
        setActionError(null);
        setNotice(null);
        const result = await apiFetch<{ blocked: boolean }>(`${sharingApi(recordId)}/blocks`, {
            method: "POST",
            body: { rpps: target.rpps }
        });
        setBusy(false);
        blockModal.close();
        if (!result.ok) {
            setActionError(problemMessage(result.problem));
            return;
        }
        setNotice(`C'est fait. ${target.name} est bloqué : il ne peut plus lire mon DMP.`);
        await reload();
        // His «Bloquer» button is now «Déjà bloqué»: the focus goes to the message.
        dialogFocus.afterAction(statusRef);
    }

    async function unblock(professional: SharedProfessional) {
        setBusy(true);
        setActionError(null);
        setNotice(null);
        const result = await apiFetch<void>(`${sharingApi(recordId)}/blocks/${encodeURIComponent(professional.rpps)}`, {
            method: "DELETE"
        });
        setBusy(false);
        if (!result.ok) {
            setActionError(problemMessage(result.problem));
            return;
        }
        setNotice(`C'est fait. ${professional.name} n'est plus bloqué.`);
        await reload();
    }

    return (
        <>
            <BackLink to={paths.sharing}>Retour à la gestion du DMP</BackLink>
            <h1>{TITLE}</h1>
            <CurrentRecordNotice me={me} />
            <p className={fr.cx("fr-text--lead")}>
                Un professionnel bloqué ne peut plus lire mon DMP, même en urgence. Il ne peut plus y ajouter de
                documents.
            </p>
            <p>Mon médecin traitant ne peut pas être bloqué.</p>
            <div role="status" ref={statusRef}>
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}
            </div>
            {actionError !== null && (
                <Alert className={fr.cx("fr-mb-3w")} severity="error" small description={actionError} role="alert" />
            )}

            <form role="search" aria-labelledby="titre-chercher" onSubmit={(event) => void find(event)} noValidate className="dmp-filters">
                <h2 id="titre-chercher" className={fr.cx("fr-h5")}>
                    Chercher un professionnel
                </h2>
                <Input
                    label="Nom du professionnel"
                    hintText="Au moins 2 lettres. Par exemple : Lefebvre"
                    state={queryError !== null ? "error" : "default"}
                    stateRelatedMessage={queryError ?? undefined}
                    nativeInputProps={{
                        id: "champ-nom",
                        name: "nom",
                        type: "search",
                        value: query,
                        maxLength: 60,
                        autoComplete: "off",
                        onChange: (event) => setQuery(event.target.value),
                        "aria-invalid": queryError !== null ? true : undefined
                    }}
                />
                <Button type="submit" iconId="fr-icon-search-line" disabled={search.kind === "searching"}>
                    Chercher
                </Button>
            </form>

            {search.kind === "searching" && <p role="status">Recherche…</p>}
            {search.kind === "error" && <Alert className={fr.cx("fr-mt-3w")} severity="error" small description={search.message} role="alert" />}
            {search.kind === "ready" && (
                <section className={fr.cx("fr-mt-4w")}>
                    <h2 ref={resultsRef} tabIndex={-1} className={fr.cx("fr-h4")}>
                        {search.professionals.length === 0
                            ? `Aucun professionnel trouvé pour « ${search.query} »`
                            : search.professionals.length === 1
                              ? "1 professionnel trouvé"
                              : `${search.professionals.length} professionnels trouvés`}
                    </h2>
                    <ul className={fr.cx("fr-raw-list")}>
                        {search.professionals.map((professional) => (
                            <li key={professional.rpps} className={fr.cx("fr-card", "fr-p-3w", "fr-mb-2w")}>
                                <h3 className={fr.cx("fr-h6", "fr-mb-1v")}>{professional.name}</h3>
                                <p className={fr.cx("fr-mb-2w")}>{professionalDetails(professional)}</p>
                                {professional.rpps === treatingRpps ? (
                                    <p className={fr.cx("fr-mb-0")}>
                                        C'est mon médecin traitant : il ne peut pas être bloqué.
                                    </p>
                                ) : blocked.has(professional.rpps) ? (
                                    <Badge as="span" severity="warning">
                                        Déjà bloqué
                                    </Badge>
                                ) : (
                                    <Button
                                        priority="secondary"
                                        size="small"
                                        iconId="fr-icon-lock-line"
                                        disabled={busy || sharing === null}
                                        onClick={() => setTarget(professional)}
                                        nativeButtonProps={{
                                            ...blockModal.buttonProps,
                                            id: `bloquer-${professional.rpps}`,
                                            "aria-label": `Bloquer ${professional.name}`
                                        }}
                                    >
                                        Bloquer
                                    </Button>
                                )}
                            </li>
                        ))}
                    </ul>
                </section>
            )}

            <h2 className={fr.cx("fr-mt-6w")}>Les professionnels bloqués</h2>
            {state.kind === "loading" && <p role="status">Chargement…</p>}
            {state.kind === "error" && <Alert severity="error" small description={state.message} role="alert" />}
            {sharing !== null && sharing.blocks.length === 0 && <p>Je n'ai bloqué aucun professionnel.</p>}
            {sharing !== null && sharing.blocks.length > 0 && (
                <ul className={fr.cx("fr-raw-list")}>
                    {sharing.blocks.map((professional) => (
                        <li key={professional.rpps} className={fr.cx("fr-card", "fr-p-3w", "fr-mb-2w")}>
                            <h3 className={fr.cx("fr-h6", "fr-mb-1v")}>{professional.name}</h3>
                            {professionalDetails(professional) !== "" && (
                                <p className={fr.cx("fr-mb-2w")}>{professionalDetails(professional)}</p>
                            )}
                            <Button
                                priority="secondary"
                                size="small"
                                iconId="fr-icon-lock-unlock-line"
                                disabled={busy}
                                onClick={() => void unblock(professional)}
                                nativeButtonProps={{ "aria-label": `Débloquer ${professional.name}` }}
                            >
                                Débloquer
                            </Button>
                        </li>
                    ))}
                </ul>
            )}

            <blockModal.Component
                title="Bloquer ce professionnel ?"
                buttons={[
                    { children: "Non, je ne le bloque pas", priority: "secondary" },
                    {
                        children: "Oui, je le bloque",
                        iconId: "fr-icon-lock-line",
                        doClosesModal: false,
                        disabled: busy,
                        onClick: () => void block()
                    }
                ]}
            >
                <p>
                    {target === null ? "Ce professionnel" : target.name} ne pourra plus lire mon DMP, même en urgence,
                    ni y ajouter de documents.
                </p>
                <p>Je pourrai le débloquer quand je veux.</p>
            </blockModal.Component>

            <BackLink to={paths.sharing}>Retour à la gestion du DMP</BackLink>
        </>
    );
}
