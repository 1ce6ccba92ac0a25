import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { logout } from "../patient";
import { paths } from "../paths";

export function LogoutButton() {
    const navigate = useNavigate();
    const [pending, setPending] = useState(false);

    async function signOut() {
        setPending(true);
        await logout();
        // Signed out or not (an expired session is signed out already), go back home.
        navigate(paths.home, { replace: true });
    }

    return (
        <Button priority="secondary" iconId="fr-icon-logout-box-r-line" disabled={pending} onClick={() => void signOut()}>
            Se déconnecter
        </Button>
    );
}
