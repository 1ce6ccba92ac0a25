import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { logout } from "../../patient/patient";
import { paths, type AppPath } from "../paths";

/** Signs out (the patient's session unless told otherwise) and goes to `to` (home by default). */
export function LogoutButton(props: { signOut?: () => Promise<unknown>; to?: AppPath } = {}) {
    const navigate = useNavigate();
    const [pending, setPending] = useState(false);

    async function signOut() {
        setPending(true);
        await (props.signOut ?? logout)();
        // Signed out or not (an expired session is signed out already), go back home.
        navigate(props.to ?? paths.home, { replace: true });
    }

    return (
        <Button priority="secondary" iconId="fr-icon-logout-box-r-line" disabled={pending} onClick={() => void signOut()}>
            Se déconnecter
        </Button>
    );
}
