import { useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import {
    checkOneTimeCode,
    FormAlert,
    normalizeOneTimeCode,
    OneTimeCodeField,
    useFormErrors
} from "../shared/components/forms";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { isContactChallenge, type ContactChallenge } from "./contact";
import { paths } from "../shared/paths";

export function ContactChangeCodePage() {
    usePageTitle("Vérifier mon nouveau contact");
    const location = useLocation();
    const state: unknown = location.state;
    if (!isContactChallenge(state)) {
        return <Navigate to={paths.myInformation} replace />;
    }
    return <RequirePatient>{() => <ContactChangeCodeForm challenge={state} />}</RequirePatient>;
}

function ContactChangeCodeForm(props: { challenge: ContactChallenge }) {
    const { challenge } = props;
    const navigate = useNavigate();
    const [code, setCode] = useState("");
    const [pending, setPending] = useState(false);
    const form = useFormErrors<"code">();
    const isMobile = challenge.kind === "mobile";

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const typed = normalizeOneTimeCode(code);
        const error = checkOneTimeCode(typed);
        if (error !== undefined) {
            form.show({ code: error });
            return;
        }
        setPending(true);
        const result = await apiFetch<unknown>("/api/me/contact-change/confirm", {
            method: "POST",
            body: { challengeId: challenge.challengeId, code: typed }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["code"]);
            return;
        }
        navigate(paths.myInformation, {
            replace: true,
            state: { notice: isMobile ? "Mon numéro de portable est changé." : "Mon adresse mail est changée." }
        });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>{isMobile ? "Vérifier mon nouveau portable" : "Vérifier mon nouveau mail"}</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Nous avons envoyé un code à 8 chiffres {isMobile ? "par SMS au" : "par mail à"}{" "}
                    <span className="dmp-nowrap">{challenge.destination}</span>. Il est valable 10 minutes.
                </p>
                <FormAlert message={form.general} innerRef={form.generalRef} />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <OneTimeCodeField value={code} onChange={setCode} error={form.errors.code} />
                    <Button type="submit" disabled={pending}>
                        Valider
                    </Button>
                </form>
                <BackLink to={isMobile ? paths.changeMobile : paths.changeEmail}>Je me suis trompé, je recommence</BackLink>
            </div>
        </div>
    );
}
