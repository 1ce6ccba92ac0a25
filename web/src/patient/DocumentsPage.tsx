import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation, useSearchParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { problemMessage } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import {
    DOCUMENT_CATEGORIES,
    PAGE_SIZE,
    authorLabel,
    categoryLabel,
    documentPath,
    documentsApi,
    formatCareDate,
    isIsoDate,
    type DocumentList
} from "../shared/documents";
import "../shared/documents.css";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";
import type { Me } from "./patient";

const TITLE = "Mes documents";

export function DocumentsPage() {
    usePageTitle(TITLE);
    return (
        <RequirePatient>
            {(me) =>
                me.currentRecordId === null ? (
                    <NoCurrentRecord title={TITLE} />
                ) : (
                    <Documents me={me} recordId={me.currentRecordId} />
                )
            }
        </RequirePatient>
    );
}

/** The filters and the page live in the address (?categorie=&du=&au=&mots=&page=): the back button works. */
interface Filters {
    category: string;
    from: string;
    to: string;
    words: string;
}

const EMPTY_FILTERS: Filters = { category: "", from: "", to: "", words: "" };

function filtersFrom(params: URLSearchParams): Filters {
    const category = params.get("categorie") ?? "";
    const from = params.get("du") ?? "";
    const to = params.get("au") ?? "";
    return {
        category: DOCUMENT_CATEGORIES.some((c) => c.id === category) ? category : "",
        from: isIsoDate(from) ? from : "",
        to: isIsoDate(to) ? to : "",
        words: (params.get("mots") ?? "").slice(0, 200)
    };
}

function pageFrom(params: URLSearchParams): number {
    const page = Number(params.get("page") ?? "1");
    return Number.isInteger(page) && page >= 1 ? page : 1;
}

function searchOf(filters: Filters, page: number): URLSearchParams {
    const params = new URLSearchParams();
    if (filters.category !== "") params.set("categorie", filters.category);
    if (filters.from !== "") params.set("du", filters.from);
    if (filters.to !== "") params.set("au", filters.to);
    if (filters.words.trim() !== "") params.set("mots", filters.words.trim());
    if (page > 1) params.set("page", String(page));
    return params;
}

function hasFilters(filters: Filters): boolean {
    return filters.category !== "" || filters.from !== "" || filters.to !== "" || filters.words.trim() !== "";
}

type ListState =
    | { kind: "loading" }
    | { kind: "ready"; list: DocumentList; search: string }
    | { kind: "error"; message: string };

function Documents(props: { me: Me; recordId: string }) {
    const { me, recordId } = props;
    const location = useLocation();
    const notice = noticeFrom(location.state);
    const [searchParams, setSearchParams] = useSearchParams();
    const search = searchParams.toString();
    const filters = filtersFrom(searchParams);
    const page = pageFrom(searchParams);
    const [draft, setDraft] = useState<Filters>(filters);
    const [dateError, setDateError] = useState<string | null>(null);
    const [state, setState] = useState<ListState>({ kind: "loading" });
    const resultsRef = useRef<HTMLHeadingElement>(null);
    const firstSearch = useRef(search);
    const [retry, setRetry] = useState(0);

    // The back and forward buttons change the address: the form shows what is searched.
    useEffect(() => {
        setDraft(filtersFrom(new URLSearchParams(search)));
        setDateError(null);
    }, [search]);

    useEffect(() => {
        let live = true;
        const params = new URLSearchParams(search);
        const current = filtersFrom(params);
        const query = new URLSearchParams();
        if (current.category !== "") query.set("category", current.category);
        if (current.from !== "") query.set("from", current.from);
        if (current.to !== "") query.set("to", current.to);
        if (current.words.trim() !== "") query.set("words", current.words.trim());
        query.set("limit", String(PAGE_SIZE));
        query.set("offset", String((pageFrom(params) - 1) * PAGE_SIZE));
        setState({ kind: "loading" });
        void apiFetch<DocumentList>(`${documentsApi(recordId)}?${query.toString()}`).then((result) => {
            if (!live) return;
            setState(
                result.ok
                    ? { kind: "ready", list: result.data, search }
                    : { kind: "error", message: problemMessage(result.problem) }
            );
        });
        return () => {
            live = false;
        };
    }, [recordId, search, retry]);

    // After a new search or another page, the focus goes to the number of results.
    useEffect(() => {
        if (state.kind === "ready" && state.search !== firstSearch.current) {
            firstSearch.current = state.search;
            resultsRef.current?.focus();
        }
    }, [state]);

    const pageCount = state.kind === "ready" ? Math.max(1, Math.ceil(state.list.total / PAGE_SIZE)) : 1;

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
        setDraft(EMPTY_FILTERS);
        setDateError(null);
        setSearchParams(new URLSearchParams());
    }

    const filtered = hasFilters(filters);
    const list = state.kind === "ready" ? state.list : null;
    const anyMasked = list?.documents.some((d) => d.masked) ?? false;

    return (
        <>
            <h1>{TITLE}</h1>
            <CurrentRecordNotice me={me} />
            {notice !== null && (
                <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} role="status" />
            )}
            <p className={fr.cx("fr-text--lead")}>
                Ici, je trouve les documents de santé de mon DMP : ceux de mes professionnels de santé et ceux que
                j'ai ajoutés.
            </p>
            <Button iconId="fr-icon-add-line" linkProps={{ to: paths.documentAdd }} className={fr.cx("fr-mb-4w")}>
                Ajouter un document
            </Button>

            <form role="search" aria-labelledby="titre-recherche" onSubmit={submit} noValidate className="dmp-filters">
                <h2 id="titre-recherche" className={fr.cx("fr-h5")}>
                    Chercher un document
                </h2>
                <p className={fr.cx("fr-text--sm")}>Tous les champs sont facultatifs.</p>
                <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
                    <div className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
                        <Select
                            label="Catégorie"
                            nativeSelectProps={{
                                id: "filtre-categorie",
                                name: "categorie",
                                value: draft.category,
                                onChange: (event) => setDraft({ ...draft, category: event.target.value })
                            }}
                        >
                            <option value="">Toutes les catégories</option>
                            {DOCUMENT_CATEGORIES.map((category) => (
                                <option key={category.id} value={category.id}>
                                    {category.label}
                                </option>
                            ))}
                        </Select>
                    </div>
                    <div className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
                        <Input
                            label="Mots du titre"
                            hintText="Par exemple : radio"
                            nativeInputProps={{
                                id: "filtre-mots",
                                name: "mots",
                                type: "search",
                                value: draft.words,
                                maxLength: 200,
                                onChange: (event) => setDraft({ ...draft, words: event.target.value })
                            }}
                        />
                    </div>
                    <div className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
                        <Input
                            label="Soins à partir du"
                            hintText="Date de début"
                            nativeInputProps={{
                                id: "filtre-du",
                                name: "du",
                                type: "date",
                                value: draft.from,
                                onChange: (event) => setDraft({ ...draft, from: event.target.value })
                            }}
                        />
                    </div>
                    <div className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
                        <Input
                            label="Soins jusqu'au"
                            hintText="Date de fin"
                            state={dateError !== null ? "error" : "default"}
                            stateRelatedMessage={dateError ?? undefined}
                            nativeInputProps={{
                                id: "filtre-au",
                                name: "au",
                                type: "date",
                                value: draft.to,
                                "aria-invalid": dateError !== null ? true : undefined,
                                onChange: (event) => setDraft({ ...draft, to: event.target.value })
                            }}
                        />
                    </div>
                </div>
                <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--icon-left", "fr-mt-2w")}>
                    <li>
                        <Button type="submit" iconId="fr-icon-search-line">
                            Chercher
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
                    ? "Les documents"
                    : list.total === 0
                      ? "Aucun document"
                      : list.total === 1
                        ? "1 document"
                        : `${list.total} documents`}
            </h2>

            {state.kind === "loading" && <p role="status">Chargement…</p>}
            {state.kind === "error" && (
                <>
                    <Alert
                        severity="error"
                        title="Nous n'avons pas pu afficher mes documents"
                        description={state.message}
                        role="alert"
                        as="h3"
                    />
                    <Button className={fr.cx("fr-mt-2w")} priority="secondary" onClick={() => setRetry((n) => n + 1)}>
                        Réessayer
                    </Button>
                </>
            )}
            {list !== null && list.total === 0 && !filtered && (
                <p>
                    Mon DMP n'a pas encore de document. Quand un professionnel de santé ou moi-même ajoutons un
                    document, il s'affiche ici.
                </p>
            )}
            {list !== null && list.total === 0 && filtered && (
                <p>Aucun document ne correspond à ma recherche. Je peux changer ma recherche ou tout afficher.</p>
            )}
            {list !== null && list.total > 0 && list.documents.length === 0 && (
                <p>
                    Cette page est vide.{" "}
                    <Link to={{ search: searchOf(filters, 1).toString() }}>Aller à la première page</Link>
                </p>
            )}
            {list !== null && list.documents.length > 0 && (
                <>
                    <Table
                        className="dmp-documents-table"
                        noCaption
                        caption={
                            pageCount > 1 ? `Mes documents, page ${page} sur ${pageCount}` : "Mes documents"
                        }
                        headers={["Document", "Catégorie", "Date des soins", "Auteur"]}
                        data={list.documents.map((document) => [
                            <>
                                <Link to={documentPath(document.documentId)}>{document.title}</Link>
                                {document.masked && (
                                    <>
                                        {" "}
                                        <Badge as="span" small severity="warning" className="dmp-badge-masked">
                                            Masqué
                                        </Badge>
                                    </>
                                )}
                            </>,
                            <Tag as="span" small>
                                {categoryLabel(document.category)}
                            </Tag>,
                            <span className="dmp-nowrap">{formatCareDate(document.careDate)}</span>,
                            authorLabel(document, me.loginId)
                        ])}
                    />
                    {anyMasked && (
                        <p className={fr.cx("fr-text--sm")}>
                            « Masqué » : les professionnels de santé ne voient pas ce document. Seuls son auteur et
                            mon médecin traitant le voient.
                        </p>
                    )}
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

            <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
        </>
    );
}
