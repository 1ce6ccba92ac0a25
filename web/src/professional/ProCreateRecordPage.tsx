import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router-dom";
import { InPersonCreation } from "../shared/components/InPersonCreation";
import { RequireProfessional } from "./RequireProfessional";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";
import { proPatientPath } from "./pro";

/**
 * /pro/creer-dmp: the patient is in the consulting room with their carte Vitale and says yes;
 * the professional creates the record. The identifier and initial password are shown once.
 */
export function ProCreateRecordPage() {
    usePageTitle("Créer le DMP d'un patient");
    return (
        <RequireProfessional>
            {() => (
                <InPersonCreation
                    endpoint="/api/pro/records"
                    heading="Créer le DMP d'un patient"
                    lead="Le patient est avec vous, avec sa carte Vitale. Vous créez son DMP s'il est d'accord."
                    back={{ to: paths.proSpace, label: "Retour à mon espace" }}
                    next={(created) => (
                        <p>
                            <Link className={fr.cx("fr-link")} to={proPatientPath(created.recordId)}>
                                Ouvrir le DMP de {created.firstNames} {created.birthName}
                            </Link>
                        </p>
                    )}
                />
            )}
        </RequireProfessional>
    );
}
