import { useCallback, useEffect, useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { problemMessage } from "./forms";
import {
    addEntryPath,
    deleteEntryPath,
    editEntryPath,
    fetchHealthProfile,
    KINDS,
    type HealthEntry,
    type HealthEntryKind,
    type HealthProfile
} from "../../patient/healthProfile";
import "../../patient/healthProfile.css";

export type ProfileState = { kind: "loading" } | { kind: "ready"; profile: HealthProfile } | { kind: "error"; message: string };

/** Loads the record's health profile once; `reload` asks again. */
export function useHealthProfile(recordId: string) {
    const [state, setState] = useState<ProfileState>({ kind: "loading" });
    const load = useCallback(async () => {
        const result = await fetchHealthProfile(recordId);
        setState(result.ok ? { kind: "ready", profile: result.data } : { kind: "error", message: problemMessage(result.problem) });
    }, [recordId]);
    useEffect(() => {
        void load();
    }, [load]);
    return { state, reload: load };
}

/** While the profile loads, or when it could not be read. */
export function ProfileStatus(props: { state: ProfileState }) {
    if (props.state.kind === "loading") {
        return <p role="status">Chargement…</p>;
    }
    if (props.state.kind === "error") {
        return (
            <Alert
                severity="error"
                title="Nous n'avons pas pu lire ces informations"
                description={props.state.message}
                role="alert"
                as="h2"
            />
        );
    }
    return null;
}

/** One entry: its main line in bold, then its details, read-only. */
export function EntrySummary(props: { entry: HealthEntry }) {
    const info = KINDS[props.entry.kind];
    const details = info.details(props.entry.content).filter(([, value]) => value !== undefined && value !== "");
    return (
        <>
            <p className={fr.cx("fr-mb-1v")}>
                <strong>{info.summary(props.entry.content)}</strong>
            </p>
            {details.length > 0 && (
                <ul className={fr.cx("fr-raw-list", "fr-text--sm", "fr-mb-1w")}>
                    {details.map(([label, value]) => (
                        <li key={label}>
                            {label} : {value}
                        </li>
                    ))}
                </ul>
            )}
        </>
    );
}

/**
 * A section of «Ma santé» or «Volontés et droits»: the entries of one kind, each with
 * «Modifier» and «Supprimer» (which lead to their own screens), then «Ajouter» while there is room.
 */
export function EntrySection(props: {
    kind: HealthEntryKind;
    entries: HealthEntry[];
    intro?: React.ReactNode;
    /** No «Supprimer»: e.g. a statement one changes rather than removes. */
    noDelete?: boolean;
}) {
    const info = KINDS[props.kind];
    const headingId = `rubrique-${info.slug}`;
    const full = info.max !== undefined && props.entries.length >= info.max;
    return (
        <section className={fr.cx("fr-mb-6w")} aria-labelledby={headingId}>
            <h2 id={headingId}>{info.heading}</h2>
            {props.intro}
            {props.entries.length === 0 ? (
                <p>{info.none}</p>
            ) : (
                <ul className={fr.cx("fr-raw-list", "fr-mb-3w")}>
                    {props.entries.map((entry) => {
                        const name = info.summary(entry.content);
                        return (
                            <li key={entry.entryId} className={`dmp-entry ${fr.cx("fr-py-2w")}`}>
                                <EntrySummary entry={entry} />
                                <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline", "fr-btns-group--sm", "fr-mb-0")}>
                                    <li>
                                        <Button priority="secondary" size="small" linkProps={{ to: editEntryPath(info, entry.entryId) }}>
                                            Modifier
                                            <span className={fr.cx("fr-sr-only")}> : {name}</span>
                                        </Button>
                                    </li>
                                    {props.noDelete !== true && (
                                        <li>
                                            <Button priority="tertiary" size="small" linkProps={{ to: deleteEntryPath(info, entry.entryId) }}>
                                                Supprimer
                                                <span className={fr.cx("fr-sr-only")}> : {name}</span>
                                            </Button>
                                        </li>
                                    )}
                                </ul>
                            </li>
                        );
                    })}
                </ul>
            )}
            {full ? (
                info.whenFull !== undefined && <p className={fr.cx("fr-text--sm")}>{info.whenFull}</p>
            ) : (
                <Button priority="secondary" iconId="fr-icon-add-line" linkProps={{ to: addEntryPath(info) }}>
                    {info.addLabel}
                </Button>
            )}
        </section>
    );
}
