import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation, useSearchParams } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { Tag } from "@codegouvfr/react-dsfr/Tag";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import Hospital from "@codegouvfr/react-dsfr/picto/Hospital";
import HumanCooperation from "@codegouvfr/react-dsfr/picto/HumanCooperation";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { problemMessage } from "../shared/components/forms";
import { birthLine, RequireProRecord } from "./ProRecordFrame";
import { usePageTitle } from "../shared/components/usePageTitle";
import { DOCUMENT_CATEGORIES, PAGE_SIZE, categoryLabel, formatCareDate } from "../shared/documents";
import "../shared/documents.css";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";
import {
    modeLabel,
    proAuthorLabel,
    proConsentPath,
    proDepositPath,
    proDocumentPath,
    proDocumentsApi,
    proEmergencyPath,
    type Professional,
    type ProDocumentList,
    type ProRecord
} from "./pro";

/**
 * /pro/patients/:recordId: the patient's identity, then either the documents the professional
 * may read (with why), or the refusal of the access policy and what can be done about it.
 */
export function ProPatientPage() {
    usePageTitle("Dossier du patient");
    return (
        <RequireProRecord title="Dossier du patient">
            {(professional, record) => <ProPatient professional={professional} record={record} />}
        </RequireProRecord>
    );
}

type ListState =
    | { kind: "loading" }
    | { kind: "ready"; list: ProDocumentList; search: string }
    | { kind: "refused"; message: string }
    | { kind: "error"; message: string };

function pageFrom(params: URLSearchParams): number {
    const page = Number(params.get("page") ?? "1");
    return Number.isInteger(page) && page >= 1 ? page : 1;
}

function categoryFrom(params: URLSearchParams): string {
    const category = params.get("categorie") ?? "";
    return DOCUMENT_CATEGORIES.some((c) => c.id === category) ? category : "";
}

function searchOf(category: string, page: number): string {
    const params = new URLSearchParams();
    if (category !== "") params.set("categorie", category);
    if (page > 1) params.set("page", String(page));
    return params.toString();
}

function ProPatient(props: { professional: Professional; record: ProRecord }) {
    const { professional, record } = props;
    const location = useLocation();
    const notice = noticeFrom(location.state);
    const [searchParams, setSearchParams] = useSearchParams();
    const search = searchParams.toString();
    const page = pageFrom(searchParams);
    const category = categoryFrom(searchParams);
    const [draftCategory, setDraftCategory] = useState(category);
    const [state, setState] = useState<ListState>({ kind: "loading" });
    const [retry, setRetry] = useState(0);
    const resultsRef = useRef<HTMLHeadingElement>(null);
    const firstSearch = useRef(search);
    usePageTitle(record.patient === null ? "Dossier du patient" : `${record.patient.firstNames} ${record.patient.birthName}`);

    useEffect(() => {
        setDraftCategory(categoryFrom(new URLSearchParams(search)));
    }, [search]);

    // Refused, the record's answer already carries the policy's sentence (and its refusal is
    // traced there): the list is not asked for, so one refusal leaves one trace.
    useEffect(() => {
        if (!record.canRead) {
            setState({ kind: "refused", message: record.explanation });
            return;
        }
        let live = true;
        const params = new URLSearchParams(search);
        const query = new URLSearchParams();
        const current = categoryFrom(params);
        if (current !== "") query.set("category", current);
        query.set("limit", String(PAGE_SIZE));
        query.set("offset", String((pageFrom(params) - 1) * PAGE_SIZE));
        setState({ kind: "loading" });
        void apiFetch<ProDocumentList>(`${proDocumentsApi(record.recordId)}?${query.toString()}`).then((result) => {
            if (!live) return;
            if (result.ok) {
                setState({ kind: "ready", list: result.data, search });
            } else if (result.status === 403) {
                setState({ kind: "refused", message: problemMessage(result.problem) });
            } else {
                setState({ kind: "error", message: problemMessage(result.problem) });
            }
        });
        return () => {
            live = false;
        };
    }, [record.recordId, record.canRead, record.explanation, search, retry]);

    useEffect(() => {
        if (state.kind === "ready" && state.search !== firstSearch.current) {
            firstSearch.current = state.search;
            resultsRef.current?.focus();
        }
    }, [state]);

    const name = record.patient === null ? "Patient" : `${record.patient.firstNames} ${record.patient.birthName}`;
    const line = birthLine(record);

    function filter(event: FormEvent<HTMLFormElement>) {
        event.preventDefault();
        setSearchParams(searchOf(draftCategory, 1));
    }

    return (
        <>
            <BackLink to={paths.proSpace}>Retour à mon espace</BackLink>
            <h1>{name}</h1>
            <ul className={fr.cx("fr-raw-list", "fr-mb-3w")}>
                {line !== null && <li>{line}</li>}
                {record.status === "closed" && (
                    <li>
                        <Badge as="span" severity="warning">
                            DMP fermé
                        </Badge>
                    </li>
                )}
            </ul>
            <div role="status">
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}
            </div>

            {state.kind === "loading" && <p role="status">Chargement…</p>}
            {state.kind === "error" && (
                <>
                    <Alert severity="error" title="Nous n'avons pas pu lire ce DMP" description={state.message} role="alert" as="h2" />
                    <Button className={fr.cx("fr-mt-2w")} priority="secondary" onClick={() => setRetry((n) => n + 1)}>
                        Réessayer
                    </Button>
                </>
            )}
            {state.kind === "refused" && <Refused record={record} sentence={state.message} />}
            {state.kind === "ready" && (
                <>
                    <WhyYouRead record={record} explanation={state.list.explanation} />

                    <Button iconId="fr-icon-add-line" linkProps={{ to: proDepositPath(record.recordId) }} className={fr.cx("fr-mb-4w")}>
                        Déposer un document
                    </Button>

                    <form role="search" aria-label="Trier les documents" onSubmit={filter} noValidate className="dmp-filters">
                        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
                            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                                <Select
                                    label="Catégorie"
                                    nativeSelectProps={{
                                        id: "filtre-categorie",
                                        name: "categorie",
                                        value: draftCategory,
                                        onChange: (event) => setDraftCategory(event.target.value)
                                    }}
                                >
                                    <option value="">Toutes les catégories</option>
                                    {DOCUMENT_CATEGORIES.map((c) => (
                                        <option key={c.id} value={c.id}>
                                            {c.label}
                                        </option>
                                    ))}
                                </Select>
                            </div>
                            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                                <Button type="submit" iconId="fr-icon-search-line" className={fr.cx("fr-mb-3w")}>
                                    Afficher
                                </Button>
                            </div>
                        </div>
                    </form>

                    <DocumentTable
                        professional={professional}
                        record={record}
                        list={state.list}
                        page={page}
                        category={category}
                        resultsRef={resultsRef}
                    />
                </>
            )}
        </>
    );
}

/**
 * Why this professional may read, in their words (the policy's sentence is said to the
 * professional, #13 point 7); then that the patient sees this access in the history.
 */
function WhyYouRead(props: { record: ProRecord; explanation: string }) {
    const { record, explanation } = props;
    const emergency = record.mode !== "normal";
    const reason = emergency
        ? "Vous avez ouvert un accès en urgence. Il dure 24 heures. Le patient est prévenu."
        : record.treatingDoctor
          ? "Vous êtes le médecin traitant de ce patient."
          : record.authorized
            ? "Le patient vous a autorisé à lire son DMP."
            : explanation;
    return (
        <Alert
            className={fr.cx("fr-mb-3w")}
            severity={emergency ? "warning" : "info"}
            title={emergency ? modeLabel(record.mode) : "Vous avez accès à ce DMP"}
            as="h2"
            description={
                <>
                    {reason}
                    <br />
                    <span className={fr.cx("fr-text--sm")}>
                        {/* In an emergency, the policy says on which ground (bris de glace, SAMU). */}
                        {emergency ? `${explanation} ` : ""}Le patient voit chaque accès dans l'historique de son DMP.
                    </span>
                </>
            }
        />
    );
}

/** canRead is false: the policy's sentence, then the two ways in (unless blocked or closed). */
function Refused(props: { record: ProRecord; sentence: string }) {
    const { record, sentence } = props;
    const closed = record.status === "closed";
    const title = closed
        ? "Ce DMP est fermé"
        : record.blocked
          ? "Ce patient a bloqué votre accès"
          : "Vous n'avez pas encore accès à ce DMP";
    return (
        <>
            <Alert
                severity={closed || record.blocked ? "error" : "warning"}
                title={title}
                as="h2"
                description={
                    <>
                        Le DMP répond : « {sentence} »
                    </>
                }
            />
            {closed ? (
                <p className={fr.cx("fr-mt-3w")}>Personne ne peut lire ni alimenter un DMP fermé.</p>
            ) : record.blocked ? (
                <p className={fr.cx("fr-mt-3w")}>
                    Vous ne pouvez pas lire ce DMP, ni y déposer de document, ni ouvrir un accès en urgence. Seul le
                    patient peut vous débloquer.
                </p>
            ) : (
                <>
                    <h2 className={fr.cx("fr-mt-4w")}>Que faire ?</h2>
                    <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
                        <li className={fr.cx("fr-col-12", "fr-col-md-6")}>
                            <Tile
                                title="Le patient est d'accord : je le déclare"
                                titleAs="h3"
                                desc="Le patient est devant vous et accepte que vous lisiez son DMP."
                                linkProps={{ to: proConsentPath(record.recordId) }}
                                enlargeLinkOrButton
                                pictogram={<HumanCooperation />}
                            />
                        </li>
                        <li className={fr.cx("fr-col-12", "fr-col-md-6")}>
                            <Tile
                                title="Accès en urgence"
                                titleAs="h3"
                                desc="Le patient ne peut pas donner son accord et son état demande de lire son DMP tout de suite."
                                linkProps={{ to: proEmergencyPath(record.recordId) }}
                                enlargeLinkOrButton
                                pictogram={<Hospital />}
                            />
                        </li>
                    </ul>
                    <p className={fr.cx("fr-mt-3w")}>
                        Vous pouvez aussi déposer un document dans ce DMP sans le lire.{" "}
                        <Link to={proDepositPath(record.recordId)}>Déposer un document</Link>
                    </p>
                </>
            )}
        </>
    );
}

function DocumentTable(props: {
    professional: Professional;
    record: ProRecord;
    list: ProDocumentList;
    page: number;
    category: string;
    resultsRef: React.RefObject<HTMLHeadingElement | null>;
}) {
    const { professional, record, list, page, category } = props;
    const pageCount = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
    const anyMasked = list.documents.some((d) => d.masked);
    const anyHidden = list.documents.some((d) => d.hiddenFromPatient);
    return (
        <>
            <h2 ref={props.resultsRef} tabIndex={-1} className={fr.cx("fr-mt-4w")}>
                {list.total === 0 ? "Aucun document" : list.total === 1 ? "1 document" : `${list.total} documents`}
            </h2>
            {list.total === 0 && (
                <p>
                    {category === ""
                        ? "Ce DMP n'a pas de document que votre profession peut lire."
                        : "Aucun document de cette catégorie."}
                </p>
            )}
            {list.total > 0 && list.documents.length === 0 && (
                <p>
                    Cette page est vide. <Link to={{ search: searchOf(category, 1) }}>Aller à la première page</Link>
                </p>
            )}
            {list.documents.length > 0 && (
                <>
                    <Table
                        className="dmp-documents-table"
                        noCaption
                        caption={pageCount > 1 ? `Documents du patient, page ${page} sur ${pageCount}` : "Documents du patient"}
                        headers={["Document", "Catégorie", "Date des soins", "Auteur"]}
                        data={list.documents.map((document) => [
                            <>
                                <Link to={proDocumentPath(record.recordId, document.documentId)} state={{ document }}>
                                    {document.title}
                                </Link>
                                {document.masked && (
                                    <>
                                        {" "}
                                        <Badge as="span" small severity="warning">
                                            Masqué
                                        </Badge>
                                    </>
                                )}
                                {document.hiddenFromPatient && (
                                    <>
                                        {" "}
                                        <Badge as="span" small severity="info">
                                            Invisible pour le patient
                                        </Badge>
                                    </>
                                )}
                            </>,
                            <Tag as="span" small>
                                {categoryLabel(document.category)}
                            </Tag>,
                            <span className="dmp-nowrap">{formatCareDate(document.careDate)}</span>,
                            proAuthorLabel(document, professional.rpps)
                        ])}
                    />
                    {anyMasked && (
                        <p className={fr.cx("fr-text--sm")}>
                            « Masqué » : le patient a masqué ce document aux professionnels. Vous le voyez parce que
                            vous en êtes l'auteur, son médecin traitant, ou en urgence.
                        </p>
                    )}
                    {anyHidden && (
                        <p className={fr.cx("fr-text--sm")}>
                            « Invisible pour le patient » : le patient ne le voit pas encore. Un professionnel doit
                            d'abord le lui expliquer.
                        </p>
                    )}
                    {pageCount > 1 && (
                        <Pagination
                            count={pageCount}
                            defaultPage={Math.min(page, pageCount)}
                            showFirstLast={pageCount > 2}
                            getPageLinkProps={(number) => ({ to: { search: searchOf(category, number) } })}
                        />
                    )}
                </>
            )}
        </>
    );
}
