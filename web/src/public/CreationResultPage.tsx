import { useState } from "react";
import { useLocation } from "react-router-dom";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";
import { apiFetchBlob, saveBlob } from "../shared/api";
import { problemMessage } from "../shared/components/forms";
import { usePageTitle } from "../shared/components/usePageTitle";
import { isCreatedRecord } from "../shared/creation";
import { paths } from "../shared/paths";

const LETTER_FILE_NAME = "mon-dmp-identifiants.pdf";

export function CreationResultPage() {
    usePageTitle("Mon DMP est créé");
    const location = useLocation();
    const state: unknown = location.state;
    const created =
        state !== null && typeof state === "object" && "created" in state && isCreatedRecord(state.created)
            ? state.created
            : null;
    const [downloading, setDownloading] = useState(false);
    const [downloadError, setDownloadError] = useState<string | null>(null);

    if (created === null) {
        return (
            <div className={fr.cx("fr-grid-row")}>
                <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                    <h1>Cette page n'est plus disponible</h1>
                    <p>Mon identifiant et mon mot de passe sont montrés une seule fois, juste après la création.</p>
                    <p>
                        Je n'ai pas noté mon mot de passe ? Je peux en choisir un nouveau avec « Mot de passe
                        oublié ».
                    </p>
                    <ButtonsGroup
                        inlineLayoutWhen="md and up"
                        buttons={[
                            { children: "Me connecter", linkProps: { to: paths.login } },
                            {
                                children: "Mot de passe oublié",
                                priority: "secondary",
                                linkProps: { to: paths.forgotPassword }
                            }
                        ]}
                    />
                </div>
            </div>
        );
    }

    async function downloadLetter(loginId: string, password: string) {
        setDownloading(true);
        setDownloadError(null);
        const result = await apiFetchBlob("/api/creation/letter", { loginId, password });
        setDownloading(false);
        if (!result.ok) {
            setDownloadError(problemMessage(result.problem));
            return;
        }
        saveBlob(result.data, LETTER_FILE_NAME);
    }

    return (
        <div className={fr.cx("fr-grid-row")}>
            <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
                <h1>Mon DMP est créé</h1>
                <p className={fr.cx("fr-text--lead")}>
                    C'est fait : le DMP de {created.firstNames} {created.birthName} est créé.
                </p>

                <Alert
                    severity="warning"
                    title="Je note ces informations maintenant"
                    description="Cette page est montrée une seule fois. Je télécharge mon courrier, ou je recopie mon identifiant et mon mot de passe."
                    as="h2"
                />

                <h2 className={fr.cx("fr-mt-4w")}>Mon identifiant</h2>
                <p>Je le garde toujours. Je l'écris à chaque connexion.</p>
                <p className={fr.cx("fr-display--xs")} data-testid="login-id">
                    <span className={fr.cx("fr-sr-only")}>Identifiant : </span>
                    <code className="dmp-credential" translate="no">{created.loginId}</code>
                </p>

                <h2>Mon mot de passe pour la première connexion</h2>
                <p>Je l'utilise une seule fois. À la première connexion, je choisis mon propre mot de passe.</p>
                <p className={fr.cx("fr-h3")} data-testid="initial-password">
                    <span className={fr.cx("fr-sr-only")}>Mot de passe : </span>
                    <code className="dmp-credential" translate="no">{created.initialPassword}</code>
                </p>

                <h2>Mon identifiant national de santé (INS)</h2>
                <p>
                    Un professionnel de santé peut me le demander si je n'ai pas ma carte Vitale. Je n'en ai pas
                    besoin pour me connecter.
                </p>
                <p>
                    <code className="dmp-credential" translate="no">{created.ins.matricule}</code>
                </p>

                {downloadError !== null && (
                    <Alert
                        className={fr.cx("fr-mb-3w")}
                        severity="error"
                        small
                        description={downloadError}
                        role="alert"
                    />
                )}
                <ButtonsGroup
                    inlineLayoutWhen="md and up"
                    buttons={[
                        {
                            children: downloading ? "Téléchargement…" : "Télécharger mon courrier",
                            iconId: "fr-icon-download-line",
                            priority: "secondary",
                            disabled: downloading,
                            onClick: () => void downloadLetter(created.loginId, created.initialPassword)
                        },
                        { children: "Me connecter", linkProps: { to: paths.login } }
                    ]}
                />
                <p className={fr.cx("fr-text--sm")}>Le courrier est un fichier PDF. Je peux l'imprimer.</p>
            </div>
        </div>
    );
}
