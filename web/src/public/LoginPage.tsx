import { Link, useLocation, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { FormAlert, PasswordField, TextField } from "../shared/components/forms";
import { useCredentialsStep } from "../shared/components/useCredentialsStep";
import { usePageTitle } from "../shared/components/usePageTitle";
import { noticeFrom } from "../shared/login";
import { paths } from "../shared/paths";

function signedOutFrom(state: unknown): boolean {
    return state !== null && typeof state === "object" && "signedOut" in state && state.signedOut === true;
}

export function LoginPage() {
    usePageTitle("Accéder à mon DMP");
    const navigate = useNavigate();
    const location = useLocation();
    const notice = noticeFrom(location.state);
    const signedOut = signedOutFrom(location.state);
    const step = useCredentialsStep({
        url: "/api/auth/login",
        idField: "loginId",
        idMissing: "Écrivez votre identifiant.",
        onChallenge: (challenge) => navigate(paths.loginCode, { state: challenge })
    });
    const { form } = step;

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
                <h1>Accéder à mon DMP</h1>
                {notice !== null && (
                    <Alert className={fr.cx("fr-mb-3w")} severity="info" small description={notice} />
                )}
                {signedOut && notice === null && (
                    <Alert
                        className={fr.cx("fr-mb-3w")}
                        severity="info"
                        small
                        description="Pour voir cette page, je dois me connecter."
                    />
                )}
                <ol>
                    <li>J'écris mon identifiant et mon mot de passe.</li>
                    <li>Je reçois un code de 8 chiffres, par SMS ou par mail.</li>
                    <li>J'écris ce code sur le site. Le code marche seulement 10 minutes.</li>
                </ol>

                <FormAlert message={form.general} innerRef={form.generalRef} title={step.alertTitle} />
                <form ref={form.formRef} onSubmit={(event) => void step.submit(event)} noValidate>
                    <TextField
                        label="Mon identifiant"
                        hint="Il est sur mon courrier. Par exemple : hup7510"
                        name="loginId"
                        value={step.id}
                        onChange={step.setId}
                        error={form.errors.loginId}
                        autoComplete="username"
                        autoCapitalize="off"
                        spellCheck={false}
                        maxLength={64}
                    />
                    <PasswordField
                        label="Mon mot de passe"
                        hint="La première fois, c'est le mot de passe écrit sur mon courrier."
                        name="password"
                        value={step.password}
                        onChange={step.setPassword}
                        error={form.errors.password}
                        autoComplete="current-password"
                    />
                    <p className={fr.cx("fr-mt-2w")}>
                        <Link to={paths.forgotPassword}>J'ai oublié mon mot de passe</Link>
                    </p>
                    <Button type="submit" disabled={step.pending}>
                        Continuer
                    </Button>
                </form>

                <h2 className={fr.cx("fr-mt-6w", "fr-h4")}>Je n'ai pas encore de DMP</h2>
                <p>
                    <Link to={paths.create}>Créer mon DMP</Link>
                </p>
                <h2 className={fr.cx("fr-mt-4w", "fr-h4")}>Un proche m'a invité comme aidant</h2>
                <p>
                    <Link to={paths.caregiverAccept}>J'ai reçu une invitation</Link>
                </p>
            </div>
        </div>
    );
}
