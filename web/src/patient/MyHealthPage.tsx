import { useLocation } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { BackLink } from "../shared/components/BackLink";
import { CurrentRecordNotice, NoCurrentRecord } from "../shared/components/CurrentRecord";
import { EntrySection, ProfileStatus, useHealthProfile } from "../shared/components/HealthEntryList";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { HEALTH_KINDS } from "./healthProfile";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";
import type { Me } from "./patient";

/** «Ma santé»: my conditions, allergies, treatments and vaccinations, as I write them. */
export function MyHealthPage() {
    usePageTitle("Ma santé");
    return (
        <RequirePatient>
            {(me) => (me.currentRecordId === null ? <NoCurrentRecord title="Ma santé" /> : <MyHealth me={me} recordId={me.currentRecordId} />)}
        </RequirePatient>
    );
}

function MyHealth(props: { me: Me; recordId: string }) {
    const notice = noticeFrom(useLocation().state);
    const { state } = useHealthProfile(props.recordId);
    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Ma santé</h1>
                <CurrentRecordNotice me={props.me} />
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="success" small description={notice} />}
                <p className={fr.cx("fr-text--lead")}>
                    J'écris ici mes maladies, mes allergies, mes traitements et mes vaccins. Les soignants qui ont accès
                    à mon DMP peuvent les lire. Je peux les changer quand je veux.
                </p>
                <ProfileStatus state={state} />
                {state.kind === "ready" &&
                    HEALTH_KINDS.map((kind) => <EntrySection key={kind} kind={kind} entries={state.profile.entries[kind]} />)}
                <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
            </div>
        </div>
    );
}
