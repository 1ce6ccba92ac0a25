import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useLocation } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import Hospital from "@codegouvfr/react-dsfr/picto/Hospital";
import EyeOff from "@codegouvfr/react-dsfr/picto/EyeOff";
import Archive from "@codegouvfr/react-dsfr/picto/Archive";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CopyDownload } from "../shared/components/CopyDownload";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { problemMessage } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { useDialogFocus } from "../shared/components/useDialogFocus";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";
import type { Me } from "./patient";
import { basisLabel, professionalDetails, sharingApi, type Authorization, type Sharing } from "./sharing";

const TITLE = "Gestion du DMP";

/** The confirmation before an authorization is withdrawn (one modal for the page). */
const revokeModal = createModal({ id: "confirmer-retrait", isOpenedByDefault: false });

/** /mon-dmp/gestion: my médecin traitant, who else has access and why; withdraw an access. */
export function SharingPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title={TITLE} />
                ) : (
                    <SharingOverview me={me} recordId={me.currentRecordId} />
                )
            }
        </RequirePatient>
    );
}

type State = { kind: "loading" } | { kind: "ready"; sharing: Sharing } | { kind: "error"; message: string };

/** GET /api/records/:recordId/sharing, shared by the three screens of «Gestion du DMP». */
export function useSharing(recordId: string) {
    const [state, setState] = useState<State>({ kind: "loading" });
    const load = useCallback(async () => {
        const result = await apiFetch<Sharing>(sharingApi(recordId));
        setState(result.ok ? { kind: "ready", sharing: result.data } : { kind: "error", message: problemMessage(result.problem) });
    }, [recordId]);
    useEffect(() => {
        void load();
    }, [load]);
    return { state, reload: load };
}

function SharingOverview(props: { me: Me; recordId: string }) {
    const { me, recordId } = props;
    const location = useLocation();
    const { state, reload } = useSharing(recordId);
    const [notice, setNotice] = useState<string | null>(noticeFrom(location.state));
    const [actionError, setActionError] = useState<string | null>(null);
    const [target, setTarget] = useState<Authorization | null>(null);
    const [busy, setBusy] = useState(false);
    const statusRef = useRef<HTMLDivElement>(null);
    const dialogFocus = useDialogFocus(revokeModal.id);

    async function revoke() {
        if (target === null) return;
        setBusy(true);
        setActionError(null);
        setNotice(null);
        const result = await apiFetch<void>(`${sharingApi(recordId)}/authorizations/${encodeURIComponent(target.rpps)}`, {
            method: "DELETE"
        });
        setBusy(false);
        revokeModal.close();
        if (!result.ok) {
            setActionError(problemMessage(result.problem));
            return;
        }
        setNotice(`C'est fait. ${target.name} n'a plus accès à mon DMP.`);
        await reload();
        // His card has left the list: the focus goes to the message.
        dialogFocus.afterAction(statusRef);
    }

    // A blocked professional keeps his authorization on record, but the block wins: he has no access.
    const blocked = new Set(state.kind === "ready" ? state.sharing.blocks.map((b) => b.rpps) : []);
    const withAccess = state.kind === "ready" ? state.sharing.authorizations.filter((a) => !blocked.has(a.rpps)) : [];

    return (
        <>
            <h1>{TITLE}</h1>
            <CurrentRecordNotice me={me} />
            <p className={fr.cx("fr-text--lead")}>Ici, je vois qui peut lire mon DMP, et je choisis.</p>
            <div role="status" ref={statusRef}>
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}
            </div>
            {actionError !== null && (
                <Alert className={fr.cx("fr-mb-3w")} severity="error" small description={actionError} role="alert" />
            )}

            {state.kind === "loading" && <p role="status">Chargement…</p>}
            {state.kind === "error" && (
                <>
                    <Alert severity="error" title="Nous n'avons pas pu afficher ces informations" description={state.message} role="alert" as="h2" />
                    <Button className={fr.cx("fr-mt-2w")} priority="secondary" onClick={() => void reload()}>
                        Réessayer
                    </Button>
                </>
            )}
            {state.kind === "ready" && (
                <>
                    <h2>Mon médecin traitant</h2>
                    {state.sharing.treatingDoctor === null ? (
                        <p>Je n'ai pas déclaré de médecin traitant.</p>
                    ) : (
                        <div className={fr.cx("fr-card", "fr-p-3w", "fr-mb-2w")}>
                            <h3 className={fr.cx("fr-h6", "fr-mb-1v")}>{state.sharing.treatingDoctor.name}</h3>
                            <p className={fr.cx("fr-mb-1w")}>{professionalDetails(state.sharing.treatingDoctor)}</p>
                            <p className={fr.cx("fr-mb-0")}>
                                Mon médecin traitant peut toujours lire mon DMP et y ajouter des documents. Il voit aussi
                                les documents masqués. <strong>Il ne peut pas être bloqué.</strong>
                            </p>
                        </div>
                    )}

                    <h2 className={fr.cx("fr-mt-4w")}>Les autres professionnels qui ont accès à mon DMP</h2>
                    {withAccess.length === 0 ? (
                        <p>Aucun autre professionnel n'a accès à mon DMP pour le moment.</p>
                    ) : (
                        <ul className={fr.cx("fr-raw-list")}>
                            {withAccess.map((authorization) => (
                                <li key={authorization.rpps} className={fr.cx("fr-card", "fr-p-3w", "fr-mb-2w")}>
                                    <h3 className={fr.cx("fr-h6", "fr-mb-1v")}>{authorization.name}</h3>
                                    {professionalDetails(authorization) !== "" && (
                                        <p className={fr.cx("fr-mb-1w")}>{professionalDetails(authorization)}</p>
                                    )}
                                    <p className={fr.cx("fr-mb-2w")}>
                                        <span className={fr.cx("fr-icon-check-line", "fr-icon--sm")} aria-hidden="true" />{" "}
                                        {basisLabel(authorization)}
                                    </p>
                                    <Button
                                        priority="secondary"
                                        size="small"
                                        iconId="fr-icon-close-line"
                                        disabled={busy}
                                        onClick={() => setTarget(authorization)}
                                        nativeButtonProps={{
                                            ...revokeModal.buttonProps,
                                            id: `retirer-${authorization.rpps}`,
                                            "aria-label": `Retirer l'accès de ${authorization.name}`
                                        }}
                                    >
                                        Retirer l'accès
                                    </Button>
                                </li>
                            ))}
                        </ul>
                    )}
                    <p className={fr.cx("fr-text--sm")}>
                        Un professionnel a accès à mon DMP quand je lui donne mon accord pendant une consultation, ou
                        quand il fait partie de mon équipe de soins. Chaque accès est inscrit dans{" "}
                        <Link to={paths.history}>l'historique de mon DMP</Link>.
                    </p>

                    <h2 className={fr.cx("fr-mt-4w")}>Je choisis aussi</h2>
                    <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
                        <li className={fr.cx("fr-col-12", "fr-col-md-6")}>
                            <Tile
                                title="Bloquer un professionnel"
                                titleAs="h3"
                                desc={
                                    state.sharing.blocks.length === 0
                                        ? "Il ne pourra plus lire mon DMP."
                                        : `Il ne pourra plus lire mon DMP. ${state.sharing.blocks.length === 1 ? "1 professionnel bloqué" : `${state.sharing.blocks.length} professionnels bloqués`} pour le moment.`
                                }
                                linkProps={{ to: paths.sharingBlock }}
                                enlargeLinkOrButton
                                pictogram={<EyeOff />}
                            />
                        </li>
                        <li className={fr.cx("fr-col-12", "fr-col-md-6")}>
                            <Tile
                                title="Accès en urgence"
                                titleAs="h3"
                                desc="Qui peut lire mon DMP quand je ne peux pas répondre."
                                linkProps={{ to: paths.sharingEmergency }}
                                enlargeLinkOrButton
                                pictogram={<Hospital />}
                            />
                        </li>
                    </ul>
                </>
            )}

            <LifeOfMyRecord me={me} recordId={recordId} />

            <revokeModal.Component
                title="Retirer l'accès ?"
                buttons={[
                    { children: "Non, je garde son accès", priority: "secondary" },
                    {
                        children: "Oui, je retire l'accès",
                        doClosesModal: false,
                        disabled: busy,
                        onClick: () => void revoke()
                    }
                ]}
            >
                <p>
                    {target === null
                        ? "Ce professionnel ne pourra plus lire mon DMP."
                        : `${target.name} ne pourra plus lire mon DMP.`}{" "}
                    Il pourra le lire de nouveau si je lui redonne mon accord pendant une consultation.
                </p>
            </revokeModal.Component>

            <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
        </>
    );
}

/** DOMAIN.md §7: a copy of the whole record, closing it, and (its titulaire only) deleting it at once. */
function LifeOfMyRecord(props: { me: Me; recordId: string }) {
    const holder = props.me.records.find((r) => r.recordId === props.recordId)?.role === "holder";
    return (
        <>
            {holder && (
                <>
                    <h2 className={fr.cx("fr-mt-4w")}>Mes proches aidants</h2>
                    <p>
                        <Link to={paths.caregivers}>Voir, inviter ou retirer mes proches aidants</Link> (3 au plus) : ils lisent et ajoutent des documents.
                    </p>
                </>
            )}
            <h2 className={fr.cx("fr-mt-4w")}>Mon DMP</h2>
            <CopyDownload recordId={props.recordId} />
            <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
                <li className={fr.cx("fr-col-12", "fr-col-md-6")}>
                    <Tile
                        title="Fermer mon DMP"
                        titleAs="h3"
                        desc="Plus personne ne peut le lire. Il est gardé 10 ans. Je peux le réactiver."
                        linkProps={{ to: paths.closeRecord }}
                        enlargeLinkOrButton
                        pictogram={<Archive />}
                    />
                </li>
            </ul>
            {holder && (
                <p className={fr.cx("fr-mt-2w")}>
                    <Link to={paths.deleteRecord}>Supprimer définitivement mon DMP</Link>
                </p>
            )}
        </>
    );
}
