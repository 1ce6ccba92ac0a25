import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { problemMessage } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import {
    HISTORY_PAGE_SIZE,
    WHAT_CHOICES,
    WHO_CHOICES,
    formatInstant,
    historyApi,
    type HistoryPage as HistoryList,
    type HistoryVerification
} from "./history";
import "./history.css";
import { isIsoDate } from "../shared/documents";
import { paths } from "../shared/paths";
import type { Me } from "./patient";

const TITLE = "Historique des accès";

export function HistoryPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title={TITLE} />
                ) : (
                    <History me={me} recordId={me.currentRecordId} />
                )
            }
        </RequirePatient>
    );
}

/** The filters and the page live in the address (?qui=&quoi=&du=&au=&page=): the back button works. */
interface Filters {
    who: string;
    what: string;
    from: string;
    to: string;
}

const EMPTY: Filters = { who: "", what: "", from: "", to: "" };

function filtersFrom(params: URLSearchParams): Filters {
    const who = params.get("qui") ?? "";
    const what = params.get("quoi") ?? "";
    const from = params.get("du") ?? "";
    const to = params.get("au") ?? "";
    return {
        who: WHO_CHOICES.some((c) => c.value === who) ? who : "",
        what: WHAT_CHOICES.some((c) => c.value === what) ? what : "",
        from: isIsoDate(from) ? from : "",
        to: isIsoDate(to) ? to : ""
    };
}

function pageFrom(params: URLSearchParams): number {
    const page = Number(params.get("page") ?? "1");
    return Number.isInteger(page) && page >= 1 ? page : 1;
}

function searchOf(filters: Filters, page: number): URLSearchParams {
    const params = new URLSearchParams();
    if (filters.who !== "") params.set("qui", filters.who);
    if (filters.what !== "") params.set("quoi", filters.what);
    if (filters.from !== "") params.set("du", filters.from);
    if (filters.to !== "") params.set("au", filters.to);
    if (page > 1) params.set("page", String(page));
    return params;
}

const hasFilters = (f: Filters) => f.who !== "" || f.what !== "" || f.from !== "" || f.to !== "";

type ListState = { kind: "loading" } | { kind: "ready"; list: HistoryList; search: string } | { kind: "error"; message: string };
type CheckState = { kind: "loading" } | { kind: "ready"; check: HistoryVerification } | { kind: "error" };

function History(props: { me: Me; recordId: string }) {
    const { me, recordId } = props;
    const [searchParams, setSearchParams] = useSearchParams();
    const search = searchParams.toString();
    const filters = filtersFrom(searchParams);
    const page = pageFrom(searchParams);
    const [draft, setDraft] = useState<Filters>(filters);
    const [dateError, setDateError] = useState<string | null>(null);
    const [state, setState] = useState<ListState>({ kind: "loading" });
    const [check, setCheck] = useState<CheckState>({ kind: "loading" });
    const [retry, setRetry] = useState(0);
    const resultsRef = useRef<HTMLHeadingElement>(null);
    const firstSearch = useRef(search);
    const api = historyApi(recordId);

    useEffect(() => {
        setDraft(filtersFrom(new URLSearchParams(search)));
        setDateError(null);
    }, [search]);

    useEffect(() => {
        let live = true;
        setCheck({ kind: "loading" });
        void apiFetch<HistoryVerification>(`${api}/verification`).then((result) => {
            if (live) setCheck(result.ok ? { kind: "ready", check: result.data } : { kind: "error" });
        });
        return () => {
            live = false;
        };
    }, [api, retry]);

    useEffect(() => {
        let live = true;
        const params = new URLSearchParams(search);
        const current = filtersFrom(params);
        const query = new URLSearchParams();
        if (current.who !== "") query.set("who", current.who);
        if (current.what !== "") query.set("what", current.what);
        if (current.from !== "") query.set("from", current.from);
        if (current.to !== "") query.set("to", current.to);
        query.set("limit", String(HISTORY_PAGE_SIZE));
        query.set("offset", String((pageFrom(params) - 1) * HISTORY_PAGE_SIZE));
        setState({ kind: "loading" });
        void apiFetch<HistoryList>(`${api}?${query.toString()}`).then((result) => {
            if (!live) return;
            setState(result.ok ? { kind: "ready", list: result.data, search } : { kind: "error", message: problemMessage(result.problem) });
        });
        return () => {
            live = false;
        };
    }, [api, search, retry]);

    // After a new search or another page, the focus goes to the number of results.
    useEffect(() => {
        if (state.kind === "ready" && state.search !== firstSearch.current) {
            firstSearch.current = state.search;
            resultsRef.current?.focus();
        }
    }, [state]);

    function submit(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        if (draft.from !== "" && draft.to !== "" && draft.from > draft.to) {
            setDateError("Cette date est avant la date « Du ». Changez une des 2 dates.");
            document.getElementById("filtre-au")?.focus();
            return;
        }
        setDateError(null);
        setSearchParams(searchOf(draft, 1));
    }

    function showAll() {
        setDraft(EMPTY);
        setDateError(null);
        setSearchParams(new URLSearchParams());
    }

    const list = state.kind === "ready" ? state.list : null;
    const filtered = hasFilters(filters);
    const pageCount = list !== null ? Math.max(1, Math.ceil(list.total / HISTORY_PAGE_SIZE)) : 1;

    return (
        <>
            <h1>{TITLE}</h1>
            <CurrentRecordNotice me={me} />
            <p className={fr.cx("fr-text--lead")}>
                Ici, je vois qui a consulté ou modifié mon DMP, quand et pourquoi. Les tentatives refusées sont
                aussi affichées.
            </p>

            <div className="dmp-history-check" aria-live="polite">
                {check.kind === "loading" && <p className={fr.cx("fr-text--sm")}>Vérification de l'historique…</p>}
                {check.kind === "ready" && check.check.verified && (
                    <p>
                        <Badge severity="success" as="span">
                            Historique vérifié : intact
                        </Badge>{" "}
                        <span className={fr.cx("fr-text--sm")}>
                            Personne n'a modifié ni effacé un événement (vérifié le {formatInstant(check.check.checkedAt)}).
                        </span>
                    </p>
                )}
                {check.kind === "ready" && !check.check.verified && (
                    <Alert
                        severity="error"
                        title="L'historique n'a pas pu être vérifié"
                        description="La vérification a trouvé une anomalie dans l'historique de mon DMP. Le service Mon DMP doit la corriger : je peux le signaler à l'Assurance Maladie."
                        as="h2"
                    />
                )}
                {check.kind === "error" && (
                    <p className={fr.cx("fr-text--sm")}>La vérification de l'historique n'est pas disponible pour le moment.</p>
                )}
            </div>

            <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--icon-left", "fr-mb-3w")}>
                <li>
                    <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-download-line")} href={`${api}.csv`} download>
                        Télécharger (CSV)
                    </a>
                </li>
                <li>
                    <a className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-download-line")} href={`${api}.pdf`} download>
                        Télécharger (PDF)
                    </a>
                </li>
            </ul>
            <p className={fr.cx("fr-text--sm")}>
                Le fichier contient tout l'historique. Le CSV s'ouvre avec un tableur, le PDF se lit et s'imprime.
            </p>

            <form role="search" aria-labelledby="titre-filtres" onSubmit={submit} noValidate className="dmp-history-filters">
                <h2 id="titre-filtres" className={fr.cx("fr-h5")}>
                    Filtrer l'historique
                </h2>
                <p className={fr.cx("fr-text--sm")}>Tous les champs sont facultatifs.</p>
                <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
                    <div className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
                        <Select
                            label="Qui"
                            nativeSelectProps={{
                                id: "filtre-qui",
                                name: "qui",
                                value: draft.who,
                                onChange: (e) => setDraft({ ...draft, who: e.target.value })
                            }}
                        >
                            <option value="">Tout le monde</option>
                            {WHO_CHOICES.map((c) => (
                                <option key={c.value} value={c.value}>
                                    {c.label}
                                </option>
                            ))}
                        </Select>
                    </div>
                    <div className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
                        <Select
                            label="Quoi"
                            nativeSelectProps={{
                                id: "filtre-quoi",
                                name: "quoi",
                                value: draft.what,
                                onChange: (e) => setDraft({ ...draft, what: e.target.value })
                            }}
                        >
                            <option value="">Toutes les actions</option>
                            {WHAT_CHOICES.map((c) => (
                                <option key={c.value} value={c.value}>
                                    {c.label}
                                </option>
                            ))}
                        </Select>
                    </div>
                    <div className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
                        <Input
                            label="Du"
                            hintText="Date de début"
                            nativeInputProps={{
                                id: "filtre-du",
                                name: "du",
                                type: "date",
                                value: draft.from,
                                onChange: (e) => setDraft({ ...draft, from: e.target.value })
                            }}
                        />
                    </div>
                    <div className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
                        <Input
                            label="Au"
                            hintText="Date de fin"
                            state={dateError !== null ? "error" : "default"}
                            stateRelatedMessage={dateError ?? undefined}
                            nativeInputProps={{
                                id: "filtre-au",
                                name: "au",
                                type: "date",
                                value: draft.to,
                                "aria-invalid": dateError !== null ? true : undefined,
                                onChange: (e) => setDraft({ ...draft, to: e.target.value })
                            }}
                        />
                    </div>
                </div>
                <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-mt-2w")}>
                    <li>
                        <Button type="submit">
                            Filtrer
                        </Button>
                    </li>
                    {filtered && (
                        <li>
                            <Button type="button" priority="secondary" onClick={showAll}>
                                Tout afficher
                            </Button>
                        </li>
                    )}
                </ul>
            </form>

            <h2 ref={resultsRef} tabIndex={-1} className={fr.cx("fr-mt-4w")}>
                {list === null
                    ? "Les événements"
                    : list.total === 0
                      ? "Aucun événement"
                      : list.total === 1
                        ? "1 événement"
                        : `${list.total} événements`}
            </h2>

            {state.kind === "loading" && <p role="status">Chargement…</p>}
            {state.kind === "error" && (
                <>
                    <Alert severity="error" title="Nous n'avons pas pu afficher l'historique" description={state.message} role="alert" as="h3" />
                    <Button className={fr.cx("fr-mt-2w")} priority="secondary" onClick={() => setRetry((n) => n + 1)}>
                        Réessayer
                    </Button>
                </>
            )}
            {list !== null && list.total === 0 && (
                <p>{filtered ? "Aucun événement ne correspond à ma recherche. Je peux changer ma recherche ou tout afficher." : "Il n'y a encore rien dans l'historique de mon DMP."}</p>
            )}
            {list !== null && list.total > 0 && list.entries.length === 0 && (
                <p>
                    Cette page est vide. <Link to={{ search: searchOf(filters, 1).toString() }}>Aller à la première page</Link>
                </p>
            )}
            {list !== null && list.entries.length > 0 && (
                <>
                    <ol className={`${fr.cx("fr-raw-list")} dmp-history-list`} aria-label={pageCount > 1 ? `Événements, page ${page} sur ${pageCount}, du plus récent au plus ancien` : "Événements, du plus récent au plus ancien"}>
                        {list.entries.map((entry) => (
                            <li key={entry.seq} className={entry.allowed ? undefined : "dmp-history-refused"}>
                                <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>
                                    <time dateTime={entry.occurredAt}>{formatInstant(entry.occurredAt)}</time>
                                    {" · "}
                                    {entry.whatLabel}
                                    {!entry.allowed && (
                                        <>
                                            {" "}
                                            <Badge as="span" small severity="error">
                                                Accès refusé
                                            </Badge>
                                        </>
                                    )}
                                </p>
                                <p className={fr.cx("fr-mb-0")}>{entry.sentence}</p>
                            </li>
                        ))}
                    </ol>
                    {pageCount > 1 && (
                        <Pagination
                            count={pageCount}
                            defaultPage={Math.min(page, pageCount)}
                            showFirstLast={pageCount > 2}
                            getPageLinkProps={(number) => ({ to: { search: searchOf(filters, number).toString() } })}
                        />
                    )}
                </>
            )}

            <p className={fr.cx("fr-mt-4w")}>
                <Link to={paths.notifications}>Choisir les messages que je reçois quand quelque chose se passe dans mon DMP</Link>
            </p>
            <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
        </>
    );
}
