import { Navigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { agentLogout } from "./agent";
import { InPersonCreation } from "../shared/components/InPersonCreation";
import { LogoutButton } from "../shared/components/LogoutButton";
import { RequireAgent } from "./RequireAgent";
import { usePageTitle } from "../shared/components/usePageTitle";
import { paths } from "../shared/paths";

/**
 * /agent/guichet: the insured person is at the desk with their carte Vitale and says yes;
 * the agent creates the record and hands over the identifier, the initial password and
 * the letter. The agent sees nothing of any record's content, before or after.
 */
export function AgentDeskPage() {
    usePageTitle("Guichet DMP : créer un DMP");
    return (
        <RequireAgent>
            {(agent) =>
                agent.mustChangePassword ? (
                    <Navigate to={paths.agentPassword} replace />
                ) : (
                    <>
                        <p className={fr.cx("fr-text--sm", "fr-mb-2w")}>
                            Guichet de {agent.name}, {agent.office}
                        </p>
                        <InPersonCreation
                            endpoint="/api/agent/records"
                            heading="Créer le DMP d'un assuré"
                            lead="L'assuré est au guichet avec sa carte Vitale. Vous créez son DMP s'il est d'accord."
                            next={(_created, startAgain) => (
                                <Button iconId="fr-icon-add-line" onClick={startAgain}>
                                    Créer un autre DMP
                                </Button>
                            )}
                        />
                        <div className={fr.cx("fr-mt-6w")}>
                            <LogoutButton signOut={agentLogout} to={paths.agent} />
                        </div>
                    </>
                )
            }
        </RequireAgent>
    );
}
