import { fr } from "@codegouvfr/react-dsfr";
import { formatDate, type Me } from "../../patient/patient";

/** Label / value lines, read-only. Empty values are left out. */
export function InfoList(props: { items: readonly (readonly [string, string | null | undefined])[] }) {
    return (
        <ul className={fr.cx("fr-raw-list", "fr-mb-3w")}>
            {props.items
                .filter(([, value]) => value !== null && value !== undefined && value !== "")
                .map(([label, value]) => (
                    <li key={label} className={fr.cx("fr-mb-1v")}>
                        {label} : <strong>{value}</strong>
                    </li>
                ))}
        </ul>
    );
}

/** The identity from the Vitale card (read-only). */
export function IdentitySummary(props: { me: Me }) {
    const { identity } = props.me;
    return (
        <InfoList
            items={[
                ["Nom de naissance", identity.birthName],
                ["Nom d'usage", identity.usedName],
                ["Prénoms", identity.firstNames],
                ["Sexe", identity.sex === "F" ? "Femme" : identity.sex === "M" ? "Homme" : null],
                ["Date de naissance", formatDate(identity.birthDate)],
                // The directory gives the official (INSEE) code of the birth town, e.g. 49588.
                [
                    identity.birthPlace !== null && /^[0-9][0-9AB][0-9]{3}$/.test(identity.birthPlace)
                        ? "Code officiel de la commune de naissance"
                        : "Lieu de naissance",
                    identity.birthPlace
                ],
                ["Identifiant national de santé (INS)", identity.ins?.matricule ?? null]
            ]}
        />
    );
}
