import { useEffect, useState } from "react";
import { useLocation } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { problemMessage } from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";
import { formatDate, recordLabel, type Me } from "./patient";
import type { EligibleChild } from "./relatives";

export function RelativesPage() {
    usePageTitle("Mes proches");
    return <RequirePatient>{(me) => <Relatives me={me} />}</RequirePatient>;
}

type Children = { kind: "loading" } | { kind: "ready"; children: EligibleChild[] } | { kind: "error"; message: string };

function Relatives(props: { me: Me }) {
    const location = useLocation();
    const notice = noticeFrom(location.state);
    const [children, setChildren] = useState<Children>({ kind: "loading" });
    const managed = props.me.records.filter((record) => record.role === "legal_representative");

    useEffect(() => {
        let live = true;
        void apiFetch<{ children: EligibleChild[] }>("/api/me/eligible-children").then((result) => {
            if (!live) return;
            setChildren(
                result.ok
                    ? { kind: "ready", children: result.data.children }
                    : { kind: "error", message: problemMessage(result.problem) }
            );
        });
        return () => {
            live = false;
        };
    }, []);

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Mes proches</h1>
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}
                <p className={fr.cx("fr-text--lead")}>
                    Je peux créer et ouvrir le DMP de mes enfants. Je m'en occupe jusqu'à leurs 18 ans.
                </p>

                <h2>Les DMP dont je m'occupe</h2>
                {managed.length === 0 ? (
                    <p>Je ne m'occupe d'aucun autre DMP pour le moment.</p>
                ) : (
                    <>
                        <ul>
                            {managed.map((record) => (
                                <li key={record.recordId}>{recordLabel(record)}</li>
                            ))}
                        </ul>
                        <p>Pour ouvrir un de ces DMP, je vais sur la page d'accueil de mon DMP.</p>
                    </>
                )}

                <h2>Créer le DMP de mon enfant</h2>
                <p>Ce sont les enfants inscrits sur ma carte Vitale, qui n'ont pas encore de DMP.</p>
                {children.kind === "loading" && <p role="status">Chargement…</p>}
                {children.kind === "error" && (
                    <Alert severity="error" small description={children.message} role="alert" />
                )}
                {children.kind === "ready" && children.children.length === 0 && (
                    <p>Aucun enfant de ma carte Vitale n'attend un DMP.</p>
                )}
                {children.kind === "ready" && children.children.length > 0 && (
                    <ul className={fr.cx("fr-raw-list")}>
                        {children.children.map((child) => (
                            <li key={child.nir} className={fr.cx("fr-mb-3w")}>
                                <p className={fr.cx("fr-mb-1w")}>
                                    <strong>
                                        {child.firstNames} {child.birthName}
                                    </strong>
                                    , né(e) le {formatDate(child.birthDate)}
                                </p>
                                <Button
                                    priority="secondary"
                                    linkProps={{ to: paths.relativeCreate, state: { child } }}
                                >
                                    Créer son DMP
                                    <span className={fr.cx("fr-sr-only")}>
                                        {" "}
                                        : {child.firstNames} {child.birthName}
                                    </span>
                                </Button>
                            </li>
                        ))}
                    </ul>
                )}

                <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
            </div>
        </div>
    );
}
