/**
 * «Ma santé» and «Volontés et droits»: what the API says of a record's health profile
 * (GET /api/records/:recordId/health-profile), and how each kind of entry is asked for and
 * shown on screen. The server checks every field again and answers with French messages.
 */
import { generatePath } from "react-router-dom";
import { apiFetch } from "../shared/api";
import type { Answer } from "../shared/answers";
import { formatDate, formatPhone } from "./patient";
import { paths, type AppPath } from "../shared/paths";

type Profile = Answer<"/api/records/{recordId}/health-profile", "get">;
type Entry = Profile["entries"]["condition"][number];

export type HealthEntryKind = Entry["kind"];

/** What the screens read of an entry's content: text fields (the server checks each kind's own fields). */
export type EntryContent = Record<string, string | undefined>;

export type HealthEntry = Omit<Entry, "content"> & { content: EntryContent };

export type TreatingDoctor = NonNullable<Profile["treatingDoctor"]>;

export interface HealthProfile {
    entries: Record<HealthEntryKind, HealthEntry[]>;
    treatingDoctor: TreatingDoctor | null;
}

export type Area = "sante" | "volontes";

export interface FieldSpec {
    name: string;
    label: string;
    hint?: string;
    input: "text" | "textarea" | "date" | "tel" | "email" | "radio";
    maxLength?: number;
    autoComplete?: string;
    options?: { value: string; label: string }[];
}

export interface KindInfo {
    kind: HealthEntryKind;
    /** The kind in the screens' addresses. */
    slug: string;
    area: Area;
    /** The section's heading on the list screen. */
    heading: string;
    /** «une allergie»: used in «Ajouter une allergie», «Supprimer cette allergie ?» */
    one: string;
    /** «cette allergie» */
    this: string;
    /** Shown when the list is empty. */
    none: string;
    addLabel: string;
    /** The add screen's heading, when not the button's words. */
    addTitle?: string;
    /** How many a record may hold (the server says the same), and what to say when they are all there. */
    max?: number;
    whenFull?: string;
    fields: FieldSpec[];
    /** The entry's main line, in a list. */
    summary(content: EntryContent): string;
    /** The other lines: label and value, empty ones left out. */
    details(content: EntryContent): [string, string | undefined][];
}

const SINCE: FieldSpec = {
    name: "since",
    label: "Depuis quand (facultatif)",
    hint: "L'année, par exemple 2019. Ou le mois : 2019-04. Ou le jour : 2019-04-12.",
    input: "text",
    maxLength: 10
};

const personFields: FieldSpec[] = [
    { name: "name", label: "Prénom et nom", input: "text", maxLength: 120, autoComplete: "off" },
    {
        name: "relationship",
        label: "Son lien avec moi",
        hint: "Par exemple : sœur, ami, voisine, médecin",
        input: "text",
        maxLength: 60
    },
    { name: "phone", label: "Téléphone", hint: "Par exemple : 06 12 34 56 78", input: "tel", maxLength: 20 },
    { name: "email", label: "Adresse mail (facultatif)", hint: "Par exemple : nom@exemple.fr", input: "email", maxLength: 254 }
];

const personDetails = (c: EntryContent): [string, string | undefined][] => [
    ["Lien", c.relationship],
    ["Téléphone", formatPhone(c.phone ?? null) ?? undefined],
    ["Mail", c.email]
];

/** A `since` as written: a year stays a year, a month is "04/2019", a day "12/04/2019". */
export function formatPartialDate(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const month = /^(\d{4})-(\d{2})$/.exec(value);
    return month ? `${month[2]}/${month[1]}` : formatDate(value);
}

export const ORGAN_DONATION_LABELS: Record<string, string> = {
    oui: "Oui, j'accepte de donner mes organes et mes tissus après ma mort.",
    non: "Non, je refuse de donner mes organes et mes tissus après ma mort.",
    "non-renseigné": "Je préfère ne pas donner ma position."
};

export const KINDS: Record<HealthEntryKind, KindInfo> = {
    condition: {
        kind: "condition",
        slug: "maladie",
        area: "sante",
        heading: "Mes maladies et problèmes de santé",
        one: "une maladie",
        this: "cette maladie",
        none: "Je n'ai ajouté aucune maladie.",
        addLabel: "Ajouter une maladie",
        fields: [
            {
                name: "label",
                label: "Maladie ou problème de santé",
                hint: "Par exemple : asthme, diabète, hypertension",
                input: "text",
                maxLength: 200
            },
            SINCE,
            { name: "note", label: "Remarque (facultatif)", input: "textarea", maxLength: 1000 }
        ],
        summary: (c) => c.label ?? "",
        details: (c) => [
            ["Depuis", formatPartialDate(c.since)],
            ["Remarque", c.note]
        ]
    },
    allergy: {
        kind: "allergy",
        slug: "allergie",
        area: "sante",
        heading: "Mes allergies",
        one: "une allergie",
        this: "cette allergie",
        none: "Je n'ai ajouté aucune allergie.",
        addLabel: "Ajouter une allergie",
        fields: [
            {
                name: "substance",
                label: "Ce qui me donne une allergie",
                hint: "Un médicament, un aliment ou autre chose. Par exemple : pénicilline, arachide, latex",
                input: "text",
                maxLength: 200
            },
            {
                name: "reaction",
                label: "Ce qui m'arrive (facultatif)",
                hint: "Par exemple : plaques rouges, gonflement du visage, difficulté à respirer",
                input: "text",
                maxLength: 500
            },
            {
                name: "severity",
                label: "Gravité (facultatif)",
                input: "radio",
                options: [
                    { value: "légère", label: "Légère" },
                    { value: "modérée", label: "Modérée" },
                    { value: "grave", label: "Grave" },
                    { value: "", label: "Je ne sais pas" }
                ]
            }
        ],
        summary: (c) => c.substance ?? "",
        details: (c) => [
            ["Ce qui m'arrive", c.reaction],
            ["Gravité", c.severity]
        ]
    },
    treatment: {
        kind: "treatment",
        slug: "traitement",
        area: "sante",
        heading: "Mes traitements",
        one: "un traitement",
        this: "ce traitement",
        none: "Je n'ai ajouté aucun traitement.",
        addLabel: "Ajouter un traitement",
        fields: [
            {
                name: "medicine",
                label: "Nom du médicament",
                hint: "Comme il est écrit sur la boîte. Par exemple : Doliprane 1000 mg",
                input: "text",
                maxLength: 200
            },
            {
                name: "dosage",
                label: "Comment je le prends (facultatif)",
                hint: "Par exemple : 1 comprimé le matin",
                input: "text",
                maxLength: 200
            },
            SINCE,
            { name: "prescriber", label: "Médecin qui l'a prescrit (facultatif)", input: "text", maxLength: 120 }
        ],
        summary: (c) => c.medicine ?? "",
        details: (c) => [
            ["Comment je le prends", c.dosage],
            ["Depuis", formatPartialDate(c.since)],
            ["Prescrit par", c.prescriber]
        ]
    },
    vaccination: {
        kind: "vaccination",
        slug: "vaccin",
        area: "sante",
        heading: "Mes vaccins",
        one: "un vaccin",
        this: "ce vaccin",
        none: "Je n'ai ajouté aucun vaccin.",
        addLabel: "Ajouter un vaccin",
        fields: [
            {
                name: "vaccine",
                label: "Nom du vaccin",
                hint: "Par exemple : grippe, tétanos, COVID-19",
                input: "text",
                maxLength: 200
            },
            {
                name: "date",
                label: "Date du vaccin",
                hint: "Elle est écrite dans mon carnet de santé ou de vaccination.",
                input: "date",
            },
            { name: "dose", label: "Dose (facultatif)", hint: "Par exemple : 1re dose, rappel", input: "text", maxLength: 60 },
            {
                name: "batch",
                label: "Numéro de lot (facultatif)",
                hint: "Il est sur l'étiquette collée dans le carnet.",
                input: "text",
                maxLength: 60
            }
        ],
        summary: (c) => c.vaccine ?? "",
        details: (c) => [
            ["Date", formatDate(c.date ?? null) ?? undefined],
            ["Dose", c.dose],
            ["Lot", c.batch]
        ]
    },
    "organ-donation": {
        kind: "organ-donation",
        slug: "don-d-organes",
        area: "volontes",
        heading: "Don d'organes",
        one: "ma position sur le don d'organes",
        this: "ma position sur le don d'organes",
        none: "Je n'ai pas encore donné ma position.",
        addLabel: "Donner ma position",
        addTitle: "Ma position sur le don d'organes",
        max: 1,
        fields: [
            {
                name: "choice",
                label: "Ma position sur le don de mes organes et tissus après ma mort",
                input: "radio",
                options: Object.entries(ORGAN_DONATION_LABELS).map(([value, label]) => ({ value, label }))
            },
            {
                name: "note",
                label: "Précisions (facultatif)",
                hint: "Par exemple : j'accepte de tout donner sauf les cornées.",
                input: "textarea",
                maxLength: 1000
            }
        ],
        summary: (c) => ORGAN_DONATION_LABELS[c.choice ?? ""] ?? "",
        details: (c) => [["Précisions", c.note]]
    },
    "trusted-person": {
        kind: "trusted-person",
        slug: "personne-de-confiance",
        area: "volontes",
        heading: "Ma personne de confiance",
        one: "ma personne de confiance",
        this: "ma personne de confiance",
        none: "Je n'ai pas de personne de confiance.",
        addLabel: "Ajouter ma personne de confiance",
        max: 1,
        fields: personFields,
        summary: (c) => c.name ?? "",
        details: personDetails
    },
    "emergency-contact": {
        kind: "emergency-contact",
        slug: "personne-a-prevenir",
        area: "volontes",
        heading: "Les personnes à prévenir en cas d'urgence",
        one: "une personne à prévenir",
        this: "cette personne à prévenir",
        none: "Je n'ai ajouté personne à prévenir.",
        addLabel: "Ajouter une personne à prévenir",
        max: 3,
        whenFull: "J'ai déjà 3 personnes à prévenir : c'est le maximum. Pour en ajouter une autre, j'en supprime une.",
        fields: personFields,
        summary: (c) => c.name ?? "",
        details: personDetails
    }
};

export const HEALTH_KINDS: HealthEntryKind[] = ["condition", "allergy", "treatment", "vaccination"];

export function kindFromSlug(area: Area, slug: string | undefined): KindInfo | null {
    return Object.values(KINDS).find((info) => info.area === area && info.slug === slug) ?? null;
}

export function areaPath(area: Area): AppPath {
    return area === "sante" ? paths.myHealth : paths.myWishes;
}

export function addEntryPath(info: KindInfo): string {
    return generatePath(info.area === "sante" ? paths.myHealthEntryAdd : paths.myWishesEntryAdd, { kind: info.slug });
}

export function editEntryPath(info: KindInfo, entryId: string): string {
    const pattern = info.area === "sante" ? paths.myHealthEntryEdit : paths.myWishesEntryEdit;
    return generatePath(pattern, { kind: info.slug, entryId });
}

export function deleteEntryPath(info: KindInfo, entryId: string): string {
    const pattern = info.area === "sante" ? paths.myHealthEntryDelete : paths.myWishesEntryDelete;
    return generatePath(pattern, { kind: info.slug, entryId });
}

const profileApi = (recordId: string) => `/api/records/${encodeURIComponent(recordId)}/health-profile`;
const entryApi = (recordId: string, entryId: string) =>
    `${profileApi(recordId)}/entries/${encodeURIComponent(entryId)}`;

export function fetchHealthProfile(recordId: string) {
    return apiFetch<HealthProfile>(profileApi(recordId));
}

export function saveEntry(recordId: string, kind: HealthEntryKind, content: EntryContent, entryId?: string) {
    return entryId === undefined
        ? apiFetch<HealthEntry>(`${profileApi(recordId)}/entries`, { method: "POST", body: { kind, content } })
        : apiFetch<HealthEntry>(entryApi(recordId, entryId), { method: "PUT", body: { content } });
}

export function removeEntry(recordId: string, entryId: string) {
    return apiFetch<void>(entryApi(recordId, entryId), { method: "DELETE" });
}

/** The server names a content field «content.substance»: the form knows it as «substance». */
export function contentFieldErrors(errors: unknown): { field: string; message: string }[] {
    if (!Array.isArray(errors)) return [];
    return errors
        .filter((e): e is { field: string; message: string } => typeof e?.field === "string" && typeof e?.message === "string")
        .map((e) => ({ field: e.field.replace(/^content\./, ""), message: e.message }));
}

/** Advance directives: documents of the record, in their own category. */
export const DIRECTIVES_CATEGORY = "directives-anticipees";
export const DIRECTIVES_TYPE_CODE = "EXPPAT_3";
