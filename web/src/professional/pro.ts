/**
 * The professional's side of a patient's record, as the JSON API describes it
 * (src/api/professional/records.ts): the record, the documents, and the addresses of the
 * professional screens. Words are said to the professional («vous»).
 */
import { generatePath } from "react-router-dom";
import { apiFetch } from "../shared/api";
import { DOCUMENT_CATEGORIES, listDocumentTypes } from "../../../shared/catalogue";
import type { Answer } from "../shared/answers";
import type { DocumentSummary } from "../shared/documents";
import { paths } from "../shared/paths";

/** GET /api/pro/me */
export type Professional = Answer<"/api/pro/me", "get">;

export function fetchProfessional() {
    return apiFetch<Professional>("/api/pro/me");
}

/** «Dr Claire MARTIN» for doctors and dentists, «Claire MARTIN» otherwise (as the sign-in page says). */
export function professionalTitle(professional: Pick<Professional, "name" | "profession">): string {
    const doctor = professional.profession === "G15_10" || professional.profession === "G15_40";
    return `${doctor ? "Dr " : ""}${professional.name}`;
}

/** GET /api/pro/records/:recordId */
export type ProRecord = Answer<"/api/pro/records/{recordId}", "get">;

export type AccessMode = ProRecord["mode"];

type Identity = NonNullable<ProRecord["patient"]>;
const PROVED = "opendmp.pro.proved-identity.";

/**
 * What the INS lookup proved in this tab: the professional typed the INS and the identity and the
 * service found them to match. The record's page shows it even where the policy refuses the
 * record (the service then no longer sends the identity): it is what the professional already knew.
 */
export function rememberProvedIdentity(recordId: string, patient: Identity): void {
    try {
        sessionStorage.setItem(PROVED + recordId, JSON.stringify(patient));
    } catch {
        // Storage refused (private browsing): the page says «identité inconnue» instead.
    }
}

export function provedIdentity(recordId: string): Identity | null {
    try {
        const saved = sessionStorage.getItem(PROVED + recordId);
        const value: unknown = saved === null ? null : JSON.parse(saved);
        if (typeof value !== "object" || value === null) return null;
        const { birthName, firstNames, birthDate, sex } = value as Record<string, unknown>;
        if ([birthName, firstNames, birthDate, sex].every((v) => typeof v === "string")) {
            return { birthName, firstNames, birthDate, sex } as Identity;
        }
        return null;
    } catch {
        return null;
    }
}

/** GET /api/pro/records/:recordId/documents */
export type ProDocumentList = Answer<"/api/pro/records/{recordId}/documents", "get">;

export function recordApi(recordId: string): string {
    return `/api/pro/records/${encodeURIComponent(recordId)}`;
}

export function proDocumentsApi(recordId: string): string {
    return `${recordApi(recordId)}/documents`;
}

export function proDocumentApi(recordId: string, documentId: string): string {
    return `${proDocumentsApi(recordId)}/${encodeURIComponent(documentId)}`;
}

export const proPatientPath = (recordId: string) => generatePath(paths.proPatient, { recordId });
export const proConsentPath = (recordId: string) => generatePath(paths.proPatientConsent, { recordId });
export const proEmergencyPath = (recordId: string) => generatePath(paths.proPatientEmergency, { recordId });
export const proDepositPath = (recordId: string) => generatePath(paths.proPatientDeposit, { recordId });
export const proDocumentPath = (recordId: string, documentId: string) =>
    generatePath(paths.proPatientDocument, { recordId, documentId });

/** «Dominique Marie-Louise PAT-TROIS». */
export function patientName(record: ProRecord): string {
    return record.patient === null ? "ce patient" : `${record.patient.firstNames} ${record.patient.birthName}`;
}

/** Who wrote a document, said to a professional. */
export function proAuthorLabel(document: DocumentSummary, rpps: string): string {
    const { kind, id, name } = document.author;
    if (kind === "professional") {
        return id === rpps ? "Vous" : name;
    }
    if (kind === "patient") {
        return "Le patient";
    }
    if (kind === "representative") {
        return "Un représentant légal";
    }
    if (kind === "caregiver") {
        return "Un proche aidant";
    }
    if (kind === "insurance") {
        return "Assurance Maladie";
    }
    return name;
}

/**
 * The types a professional may give to a document, by category. Not the care history
 * (only the Assurance Maladie writes it) nor the patient's own space.
 */
export const PROFESSIONAL_TYPE_GROUPS: { category: string; label: string; types: { code: string; label: string }[] }[] =
    DOCUMENT_CATEGORIES.filter((category) => category.id !== "remboursements" && category.id !== "espace-personnel")
        .map((category) => ({
            category: category.id,
            label: category.label,
            types: listDocumentTypes()
                .filter((type) => type.category === category.id)
                .map((type) => ({ code: type.code, label: type.displayName }))
                .sort((a, b) => a.label.localeCompare(b.label, "fr"))
        }))
        .filter((group) => group.types.length > 0);

/** What the professional is told about the access in force. */
export function modeLabel(mode: AccessMode): string {
    switch (mode) {
        case "break-glass":
            return "Accès en urgence (bris de glace)";
        case "samu":
            return "Accès en urgence (régulation SAMU)";
        default:
            return "Accès normal";
    }
}
