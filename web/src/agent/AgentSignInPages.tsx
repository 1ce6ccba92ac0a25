import { useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { apiFetch } from "../shared/api";
import type { Agent } from "./agent";
import { FormAlert, PasswordField, TextField, useFormErrors } from "../shared/components/forms";
import { useCredentialsStep } from "../shared/components/useCredentialsStep";
import { checkNewPassword, NewPasswordFields, type NewPasswordField } from "../shared/components/NewPasswordFields";
import { OneTimeCodeStep } from "../shared/components/OneTimeCodeStep";
import { usePasswordVerdict } from "../shared/components/PasswordVerdict";
import { RequireAgent } from "./RequireAgent";
import { usePageTitle } from "../shared/components/usePageTitle";
import { isLoginChallenge, noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";

/**
 * Signing in at the insurance desk (src/api/agent/routes.ts): identifier and password,
 * then the code sent to the agent's work mail, then, the first time, a password of
 * the agent's own. Words are said to the agent («vous»).
 */

export function AgentSignInPage() {
    usePageTitle("Guichet DMP : connexion");
    const navigate = useNavigate();
    const notice = noticeFrom(useLocation().state);
    const step = useCredentialsStep({
        url: "/api/agent/login",
        idField: "agentId",
        idMissing: "Écrivez votre identifiant d'agent.",
        onChallenge: (challenge) => navigate(paths.agentCode, { state: challenge })
    });
    const { form } = step;

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Guichet DMP de l'Assurance Maladie</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Réservé aux agents d'accueil des caisses. Vous y créez le DMP d'un assuré présent au guichet.
                </p>
                {notice !== null && <Alert className={fr.cx("fr-mb-3w")} severity="info" small description={notice} />}
                <FormAlert message={form.general} innerRef={form.generalRef} title={step.alertTitle} />
                <form ref={form.formRef} onSubmit={(event) => void step.submit(event)} noValidate>
                    <TextField
                        label="Identifiant d'agent"
                        hint="Donné par votre caisse. Par exemple : ag-sroux"
                        name="agentId"
                        value={step.id}
                        onChange={step.setId}
                        error={form.errors.agentId}
                        autoComplete="username"
                        autoCapitalize="off"
                        spellCheck={false}
                        maxLength={64}
                    />
                    <PasswordField
                        label="Mot de passe"
                        name="password"
                        value={step.password}
                        onChange={step.setPassword}
                        error={form.errors.password}
                        autoComplete="current-password"
                    />
                    <p className={fr.cx("fr-text--sm", "fr-mt-2w")}>
                        Mot de passe oublié ou compte bloqué : adressez-vous à votre responsable.
                    </p>
                    <Button type="submit" disabled={step.pending}>
                        Continuer
                    </Button>
                </form>
            </div>
        </div>
    );
}

export function AgentCodePage() {
    usePageTitle("Guichet DMP : code de connexion");
    const navigate = useNavigate();
    const state: unknown = useLocation().state;
    if (!isLoginChallenge(state)) {
        return <Navigate to={paths.agent} replace />;
    }
    return (
        <OneTimeCodeStep<{ mustChangePassword: boolean }>
            initial={state}
            heading="Code de connexion"
            submitLabel="Ouvrir le guichet"
            verifyUrl="/api/agent/login/verify"
            resendUrl="/api/agent/login/resend"
            selfPath={paths.agentCode}
            restartPath={paths.agent}
            onVerified={(answer) => navigate(answer.mustChangePassword ? paths.agentPassword : paths.agentDesk, { replace: true })}
        />
    );
}

export function AgentPasswordPage() {
    usePageTitle("Guichet DMP : votre mot de passe");
    return <RequireAgent>{(agent) => <NewAgentPassword agent={agent} />}</RequireAgent>;
}

function NewAgentPassword(props: { agent: Agent }) {
    const { agent } = props;
    const navigate = useNavigate();
    const [password, setPassword] = useState("");
    const [confirmation, setConfirmation] = useState("");
    const [pending, setPending] = useState(false);
    const verdict = usePasswordVerdict(password, { loginId: agent.agentId, names: [agent.firstName, agent.lastName] });
    const form = useFormErrors<NewPasswordField>();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) {
            return;
        }
        const errors = checkNewPassword(password, confirmation, verdict.now(password));
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<Agent>("/api/agent/password", {
            method: "POST",
            body: { newPassword: password, newPasswordConfirmation: confirmation }
        });
        setPending(false);
        if (!result.ok) {
            form.showProblem(result.problem, ["newPassword", "newPasswordConfirmation"]);
            return;
        }
        navigate(paths.agentDesk, { replace: true });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Choisissez votre mot de passe</h1>
                <p className={fr.cx("fr-text--lead")}>
                    Le mot de passe donné par votre caisse sert une seule fois. Choisissez le vôtre : au moins 12
                    caractères, facile à retenir pour vous, difficile à deviner.
                </p>
                <FormAlert message={form.general} innerRef={form.generalRef} />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <NewPasswordFields
                        password={password}
                        onPasswordChange={setPassword}
                        confirmation={confirmation}
                        onConfirmationChange={setConfirmation}
                        verdict={verdict.shown}
                        errors={form.errors}
                    />
                    <Button type="submit" disabled={pending}>
                        Enregistrer mon mot de passe
                    </Button>
                </form>
            </div>
        </div>
    );
}
