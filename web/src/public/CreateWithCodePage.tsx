import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { apiFetch } from "../shared/api";
import { BackLink } from "../shared/components/BackLink";
import { FormAlert, RequiredFieldsNotice, TextField, useFormErrors, type FieldErrors } from "../shared/components/forms";
import { usePageTitle } from "../shared/components/usePageTitle";
import { checkCreationCode, normalizeCreationCode, type CreatedRecord } from "../shared/creation";
import { checkNir, NIR_HINT, normalizeNirInput } from "../shared/nir";
import { paths } from "../shared/paths";

type Field = "code" | "nir" | "vitaleType" | "vitaleSerial" | "mobile" | "email" | "acceptTerms";
const FIELDS: readonly Field[] = ["code", "nir", "vitaleType", "vitaleSerial", "mobile", "email", "acceptTerms"];

type VitaleType = "sans_photo" | "photo";

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(values: {
    code: string;
    nir: string;
    vitaleType: VitaleType | null;
    vitaleSerial: string;
    mobile: string;
    email: string;
    acceptTerms: boolean;
}): FieldErrors<Field> {
    const errors: FieldErrors<Field> = {
        code: checkCreationCode(values.code),
        nir: checkNir(values.nir)
    };
    if (values.vitaleType === null) {
        errors.vitaleType = "Choisissez : carte sans photo ou carte avec photo.";
    }
    if (values.vitaleSerial.trim() === "") {
        errors.vitaleSerial = "Écrivez le numéro de série de votre carte Vitale.";
    }
    const mobile = values.mobile.trim();
    const email = values.email.trim();
    if (mobile === "" && email === "") {
        errors.mobile = "Écrivez votre numéro de portable, ou votre mail plus bas.";
    } else if (mobile !== "" && !/^[+\d][\d\s.-]{8,}$/.test(mobile)) {
        errors.mobile = "Ce numéro de portable n'est pas complet. Par exemple : 06 12 34 56 78";
    }
    if (email !== "" && !EMAIL_SHAPE.test(email)) {
        errors.email = "Cette adresse mail n'est pas complète. Par exemple : prenom.nom@exemple.fr";
    }
    if (!values.acceptTerms) {
        errors.acceptTerms = "Pour créer votre DMP, cochez la case : vous acceptez les conditions d'utilisation.";
    }
    for (const key of FIELDS) {
        if (errors[key] === undefined) {
            delete errors[key];
        }
    }
    return errors;
}

export function CreateWithCodePage() {
    usePageTitle("Créer mon DMP avec mon code");
    const navigate = useNavigate();
    const [code, setCode] = useState("");
    const [nir, setNir] = useState("");
    const [vitaleType, setVitaleType] = useState<VitaleType | null>(null);
    const [vitaleSerial, setVitaleSerial] = useState("");
    const [mobile, setMobile] = useState("");
    const [email, setEmail] = useState("");
    const [acceptTerms, setAcceptTerms] = useState(false);
    const [pending, setPending] = useState(false);
    const [alreadyExists, setAlreadyExists] = useState(false);
    const form = useFormErrors<Field>();

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (pending) {
            return;
        }
        setAlreadyExists(false);
        const errors = validate({ code, nir, vitaleType, vitaleSerial, mobile, email, acceptTerms });
        if (Object.keys(errors).length > 0) {
            form.show(errors);
            return;
        }
        setPending(true);
        const body = {
            code: normalizeCreationCode(code),
            nir: normalizeNirInput(nir),
            vitaleType,
            vitaleSerial: vitaleSerial.replace(/\s+/g, ""),
            ...(mobile.trim() !== "" ? { mobile: mobile.trim() } : {}),
            ...(email.trim() !== "" ? { email: email.trim() } : {}),
            acceptTerms: true
        };
        const result = await apiFetch<CreatedRecord>("/api/creation/records", { method: "POST", body });
        setPending(false);
        if (!result.ok) {
            if (result.status === 409) {
                setAlreadyExists(true);
                form.show(
                    {},
                    <>
                        {result.problem.detail ?? "Vous avez déjà un DMP."} Pour l'ouvrir, je vais sur{" "}
                        <Link to={paths.login}>Accéder à mon DMP</Link>.
                    </>
                );
                return;
            }
            form.showProblem(result.problem, FIELDS);
            return;
        }
        navigate(paths.createResult, { state: { created: result.data } });
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
                <h1>Créer mon DMP avec mon code</h1>
                <p className={fr.cx("fr-text--lead")}>
                    J'ai reçu mon code de création. Je remplis les 4 parties, puis je valide.
                </p>
                <p>Il me faut ma carte Vitale.</p>
                <RequiredFieldsNotice />

                <FormAlert
                    message={form.general}
                    innerRef={form.generalRef}
                    title={alreadyExists ? "Vous avez déjà un DMP" : undefined}
                />
                <form ref={form.formRef} onSubmit={(event) => void submit(event)} noValidate>
                    <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>1. Mon code de création</h2>
                    <TextField
                        label="Code de création"
                        hint="12 lettres et chiffres. Je l'ai reçu par mail ou par courrier."
                        name="code"
                        value={code}
                        onChange={setCode}
                        error={form.errors.code}
                        autoComplete="off"
                        autoCapitalize="characters"
                        spellCheck={false}
                        maxLength={20}
                    />
                    <p className={fr.cx("fr-text--sm")}>
                        Je n'ai pas de code ? <Link to={paths.requestCode}>Je demande un code</Link>.
                    </p>

                    <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>2. Mon numéro de sécurité sociale</h2>
                    <TextField
                        label="Numéro de sécurité sociale"
                        hint={NIR_HINT}
                        name="nir"
                        value={nir}
                        onChange={setNir}
                        error={form.errors.nir}
                        inputMode="numeric"
                        autoComplete="off"
                        spellCheck={false}
                        maxLength={25}
                    />

                    <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>3. Ma carte Vitale</h2>
                    <RadioButtons
                        legend="Ma carte Vitale est :"
                        name="vitaleType"
                        orientation="horizontal"
                        state={form.errors.vitaleType !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.vitaleType}
                        options={[
                            {
                                label: "Sans photo",
                                nativeInputProps: {
                                    value: "sans_photo",
                                    checked: vitaleType === "sans_photo",
                                    onChange: () => setVitaleType("sans_photo")
                                }
                            },
                            {
                                label: "Avec photo",
                                nativeInputProps: {
                                    value: "photo",
                                    checked: vitaleType === "photo",
                                    onChange: () => setVitaleType("photo")
                                }
                            }
                        ]}
                    />
                    <TextField
                        label="Numéro de série de ma carte"
                        hint="Il est écrit sur ma carte Vitale, en petits chiffres. Par exemple : 1234 5678 9012 3456"
                        name="vitaleSerial"
                        value={vitaleSerial}
                        onChange={setVitaleSerial}
                        error={form.errors.vitaleSerial}
                        inputMode="numeric"
                        autoComplete="off"
                        spellCheck={false}
                        maxLength={30}
                    />

                    <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>4. Mon portable ou mon mail</h2>
                    <p>J'écris au moins un des deux. Je peux écrire les deux.</p>
                    <TextField
                        label="Mon numéro de portable"
                        hint="Par exemple : 06 12 34 56 78"
                        name="mobile"
                        type="tel"
                        value={mobile}
                        onChange={setMobile}
                        error={form.errors.mobile}
                        autoComplete="tel"
                        inputMode="tel"
                        maxLength={25}
                    />
                    <TextField
                        label="Mon adresse mail"
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

                    <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Mon accord</h2>
                    <p>
                        Je lis les{" "}
                        <a
                            href={paths.terms}
                            target="_blank"
                            rel="noopener"
                            title="Conditions d'utilisation du DMP - nouvelle fenêtre"
                        >
                            conditions d'utilisation du DMP
                        </a>
                        . Elles disent ce qu'est le DMP et qui peut le voir.
                    </p>
                    <Checkbox
                        state={form.errors.acceptTerms !== undefined ? "error" : "default"}
                        stateRelatedMessage={form.errors.acceptTerms}
                        options={[
                            {
                                label: "J'accepte les conditions d'utilisation du DMP.",
                                nativeInputProps: {
                                    name: "acceptTerms",
                                    checked: acceptTerms,
                                    onChange: (event) => setAcceptTerms(event.target.checked)
                                }
                            }
                        ]}
                    />

                    <Button type="submit" disabled={pending} className={fr.cx("fr-mt-2w")}>
                        Valider
                    </Button>
                </form>

                <BackLink to={paths.create}>Retour à Créer mon DMP</BackLink>
            </div>
        </div>
    );
}
