import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { OneTimeCodeStep } from "../shared/components/OneTimeCodeStep";
import { usePageTitle } from "../shared/components/usePageTitle";
import { isLoginChallenge } from "../shared/login";
import { paths } from "../shared/paths";

export function LoginCodePage() {
    usePageTitle("Mon code de connexion");
    const location = useLocation();
    const navigate = useNavigate();
    const state: unknown = location.state;
    if (!isLoginChallenge(state)) {
        return <Navigate to={paths.login} replace />;
    }
    return (
        <OneTimeCodeStep<{ firstLoginRequired: boolean }>
            initial={state}
            heading="Mon code de connexion"
            submitLabel="Accéder à mon DMP"
            verifyUrl="/api/auth/login/verify"
            resendUrl="/api/auth/login/resend"
            selfPath={paths.loginCode}
            restartPath={paths.login}
            onVerified={(answer) => navigate(answer.firstLoginRequired ? paths.firstLogin : paths.myRecord, { replace: true })}
        />
    );
}
