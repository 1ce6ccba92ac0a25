import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { paths } from "../paths";
import { recordLabel, type Me } from "../../patient/patient";
import { BackLink } from "./BackLink";

/** "Je suis dans le DMP de …": said only to people who manage more than one record. */
export function CurrentRecordNotice(props: { me: Me }) {
    const { me } = props;
    const current = me.records.find((record) => record.recordId === me.currentRecordId);
    if (me.records.length < 2 || current === undefined) {
        return null;
    }
    return (
        <p className={fr.cx("fr-text--lead", "fr-mb-3w")}>
            Je suis dans le DMP de <strong>{recordLabel(current)}</strong>.
        </p>
    );
}

/** Shown instead of a record's screen when no record is open. */
export function NoCurrentRecord(props: { title: string }) {
    return (
        <>
            <h1>{props.title}</h1>
            <Alert
                severity="info"
                title="Aucun DMP n'est ouvert"
                description="Je choisis d'abord un DMP sur la page d'accueil de mon DMP."
                as="h2"
            />
            <BackLink to={paths.myRecord}>Retour à mon DMP</BackLink>
        </>
    );
}
