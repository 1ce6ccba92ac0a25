import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { apiFetch } from "../shared/api";
import { focusPageHeading } from "../shared/components/focus";
import { FormAlert, RequiredFieldsNotice, TextField, useFormErrors, type FieldErrors } from "../shared/components/forms";
import { checkNewPassword, NewPasswordFields, type NewPasswordField } from "../shared/components/NewPasswordFields";
import { usePasswordVerdict } from "../shared/components/PasswordVerdict";
import { RequirePatient } from "./RequirePatient";
import { usePageTitle } from "../shared/components/usePageTitle";
import { IdentitySummary } from "../shared/components/IdentitySummary";
import { paths } from "../shared/paths";
import { formatPhone, type CodeChannel, type FirstLoginStep, type Me } from "./patient";

const STEPS: readonly { step: FirstLoginStep; title: string }[] = [
    { step: "personal", title: "Mes coordonnées" },
    { step: "password", title: "Mon mot de passe" },
    { step: "emergency", title: "L'accès à mon DMP en cas d'urgence" }
];

interface StepAnswer {
    next: FirstLoginStep | null;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_SHAPE = /^[+\d][\d\s.-]{8,}$/;

export function FirstLoginPage() {
    usePageTitle("Première connexion");
    return (
        <RequirePatient firstLogin>{(me, reload) => <FirstLoginWizard me={me} reload={reload} />}</RequirePatient>
    );
}

function FirstLoginWizard(props: { me: Me; reload: () => Promise<void> }) {
    const navigate = useNavigate();
    const step = props.me.firstLoginStep ?? "personal";
    const index = Math.max(
        0,
        STEPS.findIndex((s) => s.step === step)
    );
    const current = STEPS[index] ?? STEPS[0]!;
    const next = STEPS[index + 1];
    const previousStep = useRef(step);

    useEffect(() => {
        if (previousStep.current !== step) {
            previousStep.current = step;
            focusPageHeading();
        }
    }, [step]);

    async function done(answer: StepAnswer) {
        if (answer.next === null) {
            navigate(paths.myRecord, { replace: true });
            return;
        }
        await props.reload();
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
                <h1>Première connexion</h1>
                <Stepper
                    currentStep={index + 1}
                    stepCount={STEPS.length}
                    title={current.title}
                    nextTitle={next?.title}
                    progressText={({ currentStep, stepCount }) => `Étape ${currentStep} sur ${stepCount}`}
                    nextStepText="Étape suivante :"
                />
                {step === "personal" && <PersonalStep key="personal" me={props.me} onDone={done} />}
                {step === "password" && <PasswordStep key="password" me={props.me} onDone={done} />}
                {step === "emergency" && <EmergencyStep key="emergency" onDone={done} />}
            </div>
        </div>
    );
}

type PersonalField =
    | "civility"
    | "addressLine"
    | "postalCode"
    | "city"
    | "country"
    | "birthCountry"
    | "landline"
    | "mobile"
    | "mobileConfirmation"
    | "email"
    | "emailConfirmation";
const PERSONAL_FIELDS: readonly PersonalField[] = [
    "civility",
    "addressLine",
    "postalCode",
    "city",
    "country",
    "birthCountry",
    "landline",
    "mobile",
    "mobileConfirmation",
    "email",
    "emailConfirmation"
];

function digitsOf(phone: string): string {
    return phone.replace(/[\s.-]/g, "");
}

function PersonalStep(props: { me: Me; onDone: (answer: StepAnswer) => Promise<void> }) {
    const { personal, contact } = props.me;
    // The API types civility as text (what the account holds); the form offers the two choices.
    const [civility, setCivility] = useState<"M" | "Mme" | null>(personal.civility === "M" || personal.civility === "Mme" ? personal.civility : null);
    const [addressLine, setAddressLine] = useState(personal.addressLine ?? "");
    const [postalCode, setPostalCode] = useState(personal.postalCode ?? "");
    const [city, setCity] = useState(personal.city ?? "");
    const [country, setCountry] = useState(personal.country ?? "France");
    const [birthCountry, setBirthCountry] = useState(personal.birthCountry ?? "France");
    const [landline, setLandline] = useState(formatPhone(personal.landline) ?? "");
    const [mobile, setMobile] = useState(formatPhone(contact.mobile) ?? "");
    const [mobileConfirmation, setMobileConfirmation] = useState("");
    const [email, setEmail] = useState(contact.email ?? "");
    const [emailConfirmation, setEmailConfirmation] = useState("");
    const [pending, setPending] = useState(false);
    const form = useFormErrors<PersonalField>();

    function validate(): FieldErrors<PersonalField> {
        const errors: FieldErrors<PersonalField> = {};
        if (civility === null) errors.civility = "Choisissez Madame ou Monsieur.";
        if (addressLine.trim() === "") errors.addressLine = "Écrivez votre adresse.";
        if (postalCode.trim() === "") errors.postalCode = "Écrivez votre code postal.";
        if (city.trim() === "") errors.city = "Écrivez votre ville.";
        if (country.trim() === "") errors.country = "Écrivez votre pays.";
        if (birthCountry.trim() === "") errors.birthCountry = "Écrivez votre pays de naissance.";
        if (landline.trim() !== "" && !PHONE_SHAPE.test(landline.trim())) {
            errors.landline = "Ce numéro n'est pas complet. Par exemple : 02 41 12 34 56";
        }
        if (mobile.trim() === "") {
            errors.mobile = "Écrivez votre numéro de portable.";
        } else if (!PHONE_SHAPE.test(mobile.trim())) {
            errors.mobile = "Ce numéro de portable n'est pas complet. Par exemple : 06 12 34 56 78";
        }
        if (mobileConfirmation.trim() === "") {
            errors.mobileConfirmation = "Écrivez une 2e fois votre numéro de portable.";
        } else if (errors.mobile === undefined && digitsOf(mobile) !== digitsOf(mobileConfirmation)) {
            errors.mobileConfirmation = "Les 2 numéros ne sont pas pareils.";
        }
        if (email.trim() === "") {
            errors.email = "Écrivez votre adresse mail.";
        } else if (!EMAIL_SHAPE.test(email.trim())) {
            errors.email = "Cette adresse mail n'est pas complète. Par exemple : prenom.nom@exemple.fr";
        }
        if (emailConfirmation.trim() === "") {
            errors.emailConfirmation = "Écrivez une 2e fois votre adresse mail.";
        } else if (errors.email === undefined && email.trim().toLowerCase() !== emailConfirmation.trim().toLowerCase()) {
            errors.emailConfirmation = "Les 2 adresses mail ne sont pas pareilles.";
        }
        return errors;
    }

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const errors = validate();
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<StepAnswer>("/api/me/first-login/personal", {
            method: "PUT",
            body: {
                civility,
                addressLine: addressLine.trim(),
                postalCode: postalCode.trim(),
                city: city.trim(),
                country: country.trim(),
                birthCountry: birthCountry.trim(),
                ...(landline.trim() !== "" ? { landline: landline.trim() } : {}),
                mobile: mobile.trim(),
                mobileConfirmation: mobileConfirmation.trim(),
                email: email.trim(),
                emailConfirmation: emailConfirmation.trim()
            }
        });
        if (!result.ok) {
            setPending(false);
            form.showProblem(result.problem, PERSONAL_FIELDS);
            return;
        }
        await props.onDone(result.data);
    }

    return (
        <>
            <p className={fr.cx("fr-text--lead")}>Bienvenue dans mon DMP. Je vérifie et je complète mes informations.</p>

            <h3>Mon identité</h3>
            <p>
                Ces informations viennent de ma carte Vitale. Je ne peux pas les changer ici. Si elles sont
                fausses, je contacte ma caisse d'assurance maladie.
            </p>
            <IdentitySummary me={props.me} />

            <h3 className={fr.cx("fr-mt-4w")}>Mes coordonnées</h3>
            <RequiredFieldsNotice />
            <FormAlert message={form.general} innerRef={form.generalRef} />
            <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                <RadioButtons
                    legend="Civilité"
                    name="civility"
                    orientation="horizontal"
                    state={form.errors.civility !== undefined ? "error" : "default"}
                    stateRelatedMessage={form.errors.civility}
                    options={[
                        {
                            label: "Madame",
                            nativeInputProps: { value: "Mme", checked: civility === "Mme", onChange: () => setCivility("Mme") }
                        },
                        {
                            label: "Monsieur",
                            nativeInputProps: { value: "M", checked: civility === "M", onChange: () => setCivility("M") }
                        }
                    ]}
                />
                <TextField
                    label="Adresse"
                    hint="Numéro et rue. Par exemple : 12 rue de la Paix"
                    name="addressLine"
                    value={addressLine}
                    onChange={setAddressLine}
                    error={form.errors.addressLine}
                    autoComplete="street-address"
                    maxLength={200}
                />
                <TextField
                    label="Code postal"
                    name="postalCode"
                    value={postalCode}
                    onChange={setPostalCode}
                    error={form.errors.postalCode}
                    autoComplete="postal-code"
                    inputMode="numeric"
                    maxLength={10}
                />
                <TextField
                    label="Ville"
                    name="city"
                    value={city}
                    onChange={setCity}
                    error={form.errors.city}
                    autoComplete="address-level2"
                    maxLength={100}
                />
                <TextField
                    label="Pays"
                    name="country"
                    value={country}
                    onChange={setCountry}
                    error={form.errors.country}
                    autoComplete="country-name"
                    maxLength={100}
                />
                <TextField
                    label="Pays de naissance"
                    name="birthCountry"
                    value={birthCountry}
                    onChange={setBirthCountry}
                    error={form.errors.birthCountry}
                    autoComplete="off"
                    maxLength={100}
                />
                <TextField
                    label="Téléphone fixe (facultatif)"
                    hint="10 chiffres. Par exemple : 02 41 12 34 56"
                    name="landline"
                    type="tel"
                    value={landline}
                    onChange={setLandline}
                    error={form.errors.landline}
                    autoComplete="home tel"
                    inputMode="tel"
                    maxLength={25}
                />
                <TextField
                    label="Téléphone portable"
                    hint="10 chiffres. Par exemple : 06 12 34 56 78"
                    name="mobile"
                    type="tel"
                    value={mobile}
                    onChange={setMobile}
                    error={form.errors.mobile}
                    autoComplete="mobile tel"
                    inputMode="tel"
                    maxLength={25}
                />
                <TextField
                    label="J'écris une 2e fois mon téléphone portable"
                    name="mobileConfirmation"
                    type="tel"
                    value={mobileConfirmation}
                    onChange={setMobileConfirmation}
                    error={form.errors.mobileConfirmation}
                    autoComplete="off"
                    inputMode="tel"
                    maxLength={25}
                />
                <TextField
                    label="Adresse mail"
                    hint="Par exemple : prenom.nom@exemple.fr"
                    name="email"
                    type="email"
                    value={email}
                    onChange={setEmail}
                    error={form.errors.email}
                    autoComplete="email"
                    inputMode="email"
                    spellCheck={false}
                    maxLength={254}
                />
                <TextField
                    label="J'écris une 2e fois mon adresse mail"
                    name="emailConfirmation"
                    type="email"
                    value={emailConfirmation}
                    onChange={setEmailConfirmation}
                    error={form.errors.emailConfirmation}
                    autoComplete="off"
                    inputMode="email"
                    spellCheck={false}
                    maxLength={254}
                />
                <Button type="submit" disabled={pending}>
                    Continuer
                </Button>
            </form>
        </>
    );
}

type PasswordStepField = NewPasswordField | "codeChannel";

function PasswordStep(props: { me: Me; onDone: (answer: StepAnswer) => Promise<void> }) {
    const { me } = props;
    const [password, setPassword] = useState("");
    const [confirmation, setConfirmation] = useState("");
    const [codeChannel, setCodeChannel] = useState<CodeChannel>(me.contact.codeChannel);
    const [pending, setPending] = useState(false);
    const form = useFormErrors<PasswordStepField>();
    const names = [me.identity.birthName, me.identity.usedName ?? "", me.identity.firstNames].filter(
        (name) => name !== ""
    );
    const verdict = usePasswordVerdict(password, {
        loginId: me.loginId,
        names,
        birthDate: me.identity.birthDate ?? undefined
    });

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const errors = checkNewPassword(password, confirmation, verdict.now(password));
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<StepAnswer>("/api/me/first-login/password", {
            method: "PUT",
            body: { newPassword: password, newPasswordConfirmation: confirmation, codeChannel }
        });
        if (!result.ok) {
            setPending(false);
            form.showProblem(result.problem, ["newPassword", "newPasswordConfirmation", "codeChannel"]);
            return;
        }
        await props.onDone(result.data);
    }

    const channelOptions: { channel: CodeChannel; label: string; to: string | null }[] = [
        { channel: "sms", label: "Par SMS", to: formatPhone(me.contact.mobile) },
        { channel: "email", label: "Par mail", to: me.contact.email }
    ];

    return (
        <>
            <p className={fr.cx("fr-text--lead")}>
                Je remplace mon mot de passe de la première connexion par un mot de passe que je choisis.
            </p>
            <p>
                Mon identifiant : <strong className="dmp-credential">{me.loginId}</strong>
            </p>
            <FormAlert message={form.general} innerRef={form.generalRef} />
            <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                {/* Lets password managers save the new password with the right identifier. */}
                <input
                    type="text"
                    name="username"
                    autoComplete="username"
                    value={me.loginId}
                    readOnly
                    hidden
                    aria-hidden="true"
                />
                <NewPasswordFields
                    password={password}
                    onPasswordChange={setPassword}
                    confirmation={confirmation}
                    onConfirmationChange={setConfirmation}
                    verdict={verdict.shown}
                    errors={form.errors}
                />
                <RadioButtons
                    legend="À chaque connexion, je reçois un code. Je veux le recevoir :"
                    name="codeChannel"
                    state={form.errors.codeChannel !== undefined ? "error" : "default"}
                    stateRelatedMessage={form.errors.codeChannel}
                    options={channelOptions
                        .filter((option) => option.to !== null)
                        .map((option) => ({
                            label: `${option.label} : ${option.to ?? ""}`,
                            nativeInputProps: {
                                value: option.channel,
                                checked: codeChannel === option.channel,
                                onChange: () => setCodeChannel(option.channel)
                            }
                        }))}
                />
                <Button type="submit" disabled={pending}>
                    Continuer
                </Button>
            </form>
        </>
    );
}

type EmergencyField = "breakGlass" | "samu";

function YesNo(props: {
    name: EmergencyField;
    legend: string;
    hint: string;
    value: boolean | null;
    onChange: (value: boolean) => void;
    error?: string;
}) {
    return (
        <RadioButtons
            legend={<strong>{props.legend}</strong>}
            hintText={props.hint}
            name={props.name}
            orientation="horizontal"
            state={props.error !== undefined ? "error" : "default"}
            stateRelatedMessage={props.error}
            options={[
                {
                    label: "Oui",
                    nativeInputProps: { value: "oui", checked: props.value === true, onChange: () => props.onChange(true) }
                },
                {
                    label: "Non",
                    nativeInputProps: {
                        value: "non",
                        checked: props.value === false,
                        onChange: () => props.onChange(false)
                    }
                }
            ]}
        />
    );
}

function EmergencyStep(props: { onDone: (answer: StepAnswer) => Promise<void> }) {
    const [breakGlass, setBreakGlass] = useState<boolean | null>(null);
    const [samu, setSamu] = useState<boolean | null>(null);
    const [pending, setPending] = useState(false);
    const form = useFormErrors<EmergencyField>();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) return;
        const errors: FieldErrors<EmergencyField> = {};
        if (breakGlass === null) errors.breakGlass = "Choisissez oui ou non.";
        if (samu === null) errors.samu = "Choisissez oui ou non.";
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const result = await apiFetch<StepAnswer>("/api/me/first-login/emergency", {
            method: "PUT",
            body: { breakGlass, samu }
        });
        if (!result.ok) {
            setPending(false);
            form.showProblem(result.problem, ["breakGlass", "samu"]);
            return;
        }
        await props.onDone(result.data);
    }

    return (
        <>
            <p className={fr.cx("fr-text--lead")}>
                Je réponds à 2 questions. Je pourrai changer d'avis plus tard, quand je veux.
            </p>
            <FormAlert message={form.general} innerRef={form.generalRef} />
            <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                <YesNo
                    name="breakGlass"
                    legend="En cas d’urgence, un professionnel de santé peut-il lire mon DMP sans mon accord ?"
                    hint="Par exemple, j'arrive aux urgences et je ne peux pas parler. Le médecin doit dire pourquoi il ouvre mon DMP. Je suis prévenu, et je vois qui l'a ouvert."
                    value={breakGlass}
                    onChange={setBreakGlass}
                    error={form.errors.breakGlass}
                />
                <YesNo
                    name="samu"
                    legend="Le médecin du SAMU (le 15) peut-il lire mon DMP ?"
                    hint="Quand j'appelle le 15, ou quand quelqu'un appelle le 15 pour moi, le médecin du SAMU peut lire mon DMP pour mieux m'aider."
                    value={samu}
                    onChange={setSamu}
                    error={form.errors.samu}
                />
                <Button type="submit" disabled={pending}>
                    Valider
                </Button>
            </form>
        </>
    );
}
