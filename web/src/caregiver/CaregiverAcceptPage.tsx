import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { apiFetch } from "../shared/api";
import { FormAlert, PasswordField, RequiredFieldsNotice, TextField, useFormErrors } from "../shared/components/forms";
import { checkNewPassword, NewPasswordFields } from "../shared/components/NewPasswordFields";
import { usePasswordVerdict } from "../shared/components/PasswordVerdict";
import { usePageTitle } from "../shared/components/usePageTitle";
import type { InvitationCheck } from "../patient/caregivers";
import { paths } from "../shared/paths";

const TITLE = "J'ai reçu une invitation";

type Field = "code" | "email" | "loginId" | "password" | "mobile" | "newPassword" | "newPasswordConfirmation";
const FIELDS: Field[] = ["code", "email", "loginId", "password", "mobile", "newPassword", "newPasswordConfirmation"];

/**
 * /aidant: a proche aidant accepts a patient's invitation with the code and the email it was sent to,
 * then links the DMP login they already have, or gets a login of their own.
 */
export function CaregiverAcceptPage() {
    usePageTitle(TITLE);
    const [code, setCode] = useState("");
    const [email, setEmail] = useState("");
    const [invitation, setInvitation] = useState<InvitationCheck | null>(null);
    const [how, setHow] = useState<"new" | "existing">("new");
    const [loginId, setLoginId] = useState("");
    const [password, setPassword] = useState("");
    const [mobile, setMobile] = useState("");
    const [newPassword, setNewPassword] = useState("");
    const [confirmation, setConfirmation] = useState("");
    const [done, setDone] = useState<{ loginId: string; created: boolean } | null>(null);
    const [busy, setBusy] = useState(false);
    const form = useFormErrors<Field>();
    const names = invitation === null ? [] : [invitation.firstName, invitation.lastName];
    const verdict = usePasswordVerdict(newPassword, { names });

    async function check(event: FormEvent) {
        event.preventDefault();
        const errors: Partial<Record<Field, string>> = {};
        if (code.trim() === "") errors.code = "Écrivez le code reçu par mail.";
        if (email.trim() === "") errors.email = "Écrivez l'adresse mail qui a reçu l'invitation.";
        if (Object.keys(errors).length > 0) return form.show(errors, "Des informations manquent.");
        setBusy(true);
        const result = await apiFetch<InvitationCheck>("/api/caregiver-invitations/check", { method: "POST", body: { code, email } });
        setBusy(false);
        if (!result.ok) return form.showProblem(result.problem, FIELDS);
        form.clear();
        setInvitation(result.data);
    }

    async function accept(event: FormEvent) {
        event.preventDefault();
        let errors: Partial<Record<Field, string>> = {};
        if (how === "existing") {
            if (loginId.trim() === "") errors.loginId = "Écrivez votre identifiant.";
            if (password === "") errors.password = "Écrivez votre mot de passe.";
        } else {
            if (mobile.trim() === "") errors.mobile = "Écrivez votre numéro de portable.";
            errors = { ...errors, ...checkNewPassword(newPassword, confirmation, verdict.now(newPassword)) };
        }
        if (Object.keys(errors).length > 0) return form.show(errors, "Des informations manquent ou sont à corriger.");
        setBusy(true);
        const body =
            how === "existing"
                ? { code, email, loginId, password }
                : { code, email, mobile, newPassword, newPasswordConfirmation: confirmation };
        const result = await apiFetch<{ loginId: string; created: boolean }>("/api/caregiver-invitations/accept", { method: "POST", body });
        setBusy(false);
        if (!result.ok) return form.showProblem(result.problem, FIELDS);
        setDone(result.data);
    }

    if (done !== null) {
        return (
            <>
                <h1>{TITLE}</h1>
                <Alert severity="success" title="C'est fait : vous êtes proche aidant" as="h2" description="Vous pouvez maintenant vous connecter." />
                {done.created && (
                    <div className={fr.cx("fr-callout", "fr-mt-3w")}>
                        <p className={fr.cx("fr-callout__text")}>
                            Votre identifiant : <strong data-testid="identifiant-aidant">{done.loginId}</strong>
                        </p>
                        <p>Notez-le : vous en aurez besoin à chaque connexion, avec votre mot de passe et un code reçu par SMS.</p>
                    </div>
                )}
                <p className={fr.cx("fr-mt-3w")}>
                    <Link className={fr.cx("fr-btn")} to={paths.login}>
                        Me connecter
                    </Link>
                </p>
            </>
        );
    }

    return (
        <>
            <h1>{TITLE}</h1>
            {invitation === null ? (
                <form ref={form.formRef} onSubmit={(e) => void check(e)} noValidate>
                    <p className={fr.cx("fr-text--lead")}>
                        Un patient vous a choisi comme proche aidant : vous avez reçu un mail avec un code d'invitation.
                    </p>
                    <RequiredFieldsNotice />
                    {form.general !== null && <FormAlert message={form.general} innerRef={form.generalRef} />}
                    <TextField label="Le code d'invitation" hint="12 lettres et chiffres, par exemple K7QZ 2MWX 9PLA." name="code" value={code} onChange={setCode} error={form.errors.code} autoComplete="off" autoCapitalize="characters" spellCheck={false} />
                    <TextField label="L'adresse mail qui a reçu l'invitation" name="email" type="email" value={email} onChange={setEmail} error={form.errors.email} autoComplete="email" />
                    <Button type="submit" disabled={busy}>
                        Continuer
                    </Button>
                </form>
            ) : (
                <form ref={form.formRef} onSubmit={(e) => void accept(e)} noValidate>
                    <p className={fr.cx("fr-text--lead")}>
                        Bonjour {invitation.firstName} {invitation.lastName}. <strong>{invitation.patientName}</strong> vous invite à
                        l'aider à suivre son DMP : vous pourrez lire et ajouter des documents.
                    </p>
                    {form.general !== null && <FormAlert message={form.general} innerRef={form.generalRef} />}
                    <RadioButtons
                        legend="Comment voulez-vous vous connecter ?"
                        name="how"
                        options={[
                            { label: "Je crée mon identifiant de proche aidant", nativeInputProps: { checked: how === "new", onChange: () => setHow("new") } },
                            { label: "J'ai déjà un identifiant Mon DMP", nativeInputProps: { checked: how === "existing", onChange: () => setHow("existing") } }
                        ]}
                    />
                    {how === "existing" ? (
                        <>
                            <TextField label="Mon identifiant" name="loginId" value={loginId} onChange={setLoginId} error={form.errors.loginId} autoComplete="username" autoCapitalize="off" spellCheck={false} />
                            <PasswordField label="Mot de passe" name="password" value={password} onChange={setPassword} error={form.errors.password} autoComplete="current-password" />
                        </>
                    ) : (
                        <>
                            <TextField
                                label="Mon numéro de portable"
                                hint="Je recevrai un code par SMS à chaque connexion. Exemple : 06 12 34 56 78."
                                name="mobile"
                                type="tel"
                                inputMode="tel"
                                value={mobile}
                                onChange={setMobile}
                                error={form.errors.mobile}
                                autoComplete="tel"
                            />
                            <NewPasswordFields
                                password={newPassword}
                                onPasswordChange={setNewPassword}
                                confirmation={confirmation}
                                onConfirmationChange={setConfirmation}
                                verdict={verdict.shown}
                                errors={form.errors}
                            />
                        </>
                    )}
                    <Button type="submit" disabled={busy}>
                        J'accepte l'invitation
                    </Button>
                </form>
            )}
        </>
    );
}
