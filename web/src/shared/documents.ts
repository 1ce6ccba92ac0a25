/**
 * «Mes documents»: what the JSON API says about a record's documents, the URLs of the
 * document screens, and the small rules shared by these screens (labels, sizes, file checks).
 * The categories and types are the server's own data (src/documents/catalogue.ts).
 */
import { generatePath } from "react-router-dom";
import { DOCUMENT_CATEGORIES, documentType } from "../../../shared/catalogue";
import { formatDate } from "../patient/patient";
import type { Answer } from "./answers";
import { paths } from "./paths";

export { DOCUMENT_CATEGORIES };

export type AuthorKind = "professional" | "patient" | "representative" | "caregiver" | "insurance";
export type DocumentFormat = "pdf" | "cda" | "text" | "jpeg" | "png";

export type DocumentList = Answer<"/api/records/{recordId}/documents", "get">;
/** One document, as GET /api/records/:recordId/documents[/:documentId] describes it. */
export type DocumentSummary = DocumentList["documents"][number];

export const PAGE_SIZE = 20;

/** The types a patient (or their legal representative) may give to what they add. */
export const PATIENT_TYPE_CODES = [
    "DOCPAT01",
    "DOCPAT02",
    "DOCPAT03",
    "DOCPAT04",
    "DOCPAT05",
    "DOCPAT06",
    "DOCPAT07",
    "DOCPAT08",
    "DOCPAT09",
    "EXPPAT_1",
    "EXPPAT_2",
    "EXPPAT_3"
] as const;

export const PATIENT_TYPES: { code: string; label: string }[] = PATIENT_TYPE_CODES.map((code) => ({
    code,
    label: documentType(code)?.displayName ?? code
}));

/** The server's default limit (MAX_UPLOAD_BYTES): 20 Mo. The server decides; this only warns early. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const ACCEPTED_EXTENSIONS = ["pdf", "xml", "txt", "jpg", "jpeg", "png"] as const;
export const FILE_ACCEPT =
    ".pdf,.xml,.txt,.jpg,.jpeg,.png,application/pdf,text/xml,application/xml,text/plain,image/jpeg,image/png";

export function documentsApi(recordId: string): string {
    return `/api/records/${encodeURIComponent(recordId)}/documents`;
}

export function documentApi(recordId: string, documentId: string): string {
    return `${documentsApi(recordId)}/${encodeURIComponent(documentId)}`;
}

/** The viewer's address in the web app. */
export function documentPath(documentId: string): string {
    return generatePath(paths.document, { documentId });
}

export function categoryLabel(id: string): string {
    return DOCUMENT_CATEGORIES.find((category) => category.id === id)?.label ?? id;
}

export function typeLabel(code: string): string {
    return documentType(code)?.displayName ?? code;
}

/** True for what the signed-in person added themselves: only that can be deleted. */
export function addedByMe(document: DocumentSummary, loginId: string): boolean {
    return (document.author.kind === "patient" || document.author.kind === "representative") && document.author.id === loginId;
}

/**
 * Who wrote the document, said from the reader's side. The server stores «Vous» for
 * the holder, which is wrong when a representative reads it: the kind and id decide here.
 */
export function authorLabel(document: DocumentSummary, loginId: string): string {
    const { kind, id, name } = document.author;
    if ((kind === "patient" || kind === "representative") && id === loginId) {
        return "Moi";
    }
    if (kind === "patient") {
        return "Le titulaire du DMP";
    }
    if (kind === "representative") {
        return "Un représentant légal";
    }
    return name;
}

export function formatLabel(format: string): string {
    switch (format) {
        case "pdf":
            return "PDF";
        case "cda":
            return "Document médical (CDA)";
        case "text":
            return "Texte";
        case "jpeg":
            return "Image JPEG";
        case "png":
            return "Image PNG";
        default:
            return format;
    }
}

/** 12 345 → "13 ko"; 1 572 864 → "1,5 Mo". */
export function formatSize(bytes: number): string {
    if (bytes < 1024) {
        return `${bytes} octets`;
    }
    const number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
    if (bytes < 1024 * 1024) {
        return `${number.format(Math.ceil(bytes / 1024))} ko`;
    }
    return `${number.format(bytes / (1024 * 1024))} Mo`;
}

export function formatCareDate(isoDate: string): string {
    return formatDate(isoDate);
}

/** "2026-03-01T10:00:00.000Z" → "01/03/2026", in the person's time zone. */
export function formatDateTime(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) {
        return iso;
    }
    return new Intl.DateTimeFormat("fr-FR", { dateStyle: "short" }).format(date);
}

/** Today's date as yyyy-mm-dd, in the person's time zone (for the date fields' `max`). */
export function todayIso(): string {
    const now = new Date();
    const month = String(now.getMonth() + 1).padStart(2, "0");
    const day = String(now.getDate()).padStart(2, "0");
    return `${now.getFullYear()}-${month}-${day}`;
}

export function isIsoDate(value: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        return false;
    }
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** A first check of the chosen file, before sending it. The server checks the bytes again. */
export function checkFile(file: File | null): string | undefined {
    if (file === null) {
        return "Choisissez un fichier.";
    }
    if (file.size === 0) {
        return "Ce fichier est vide. Choisissez un autre fichier.";
    }
    if (file.size > MAX_FILE_BYTES) {
        return `Ce fichier est trop lourd : ${formatSize(file.size)}. La taille maximale est 20 Mo.`;
    }
    const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase();
    if (extension === undefined || !(ACCEPTED_EXTENSIONS as readonly string[]).includes(extension)) {
        return "Ce format n'est pas accepté. Choisissez un fichier PDF, XML, texte, JPG ou PNG.";
    }
    return undefined;
}
