/**
 * «Gestion du DMP»: who may read the patient's record and why, blocks, and the emergency
 * switches, as the JSON API says them (src/api/patient/sharing.ts).
 */
import type { Answer } from "../shared/answers";

/** GET /api/records/:recordId/sharing */
export type Sharing = Answer<"/api/records/{recordId}/sharing", "get">;
export type SharedProfessional = Sharing["blocks"][number];
export type Authorization = Sharing["authorizations"][number];
export type EmergencySwitches = Sharing["emergency"];

export function sharingApi(recordId: string): string {
    return `/api/records/${encodeURIComponent(recordId)}/sharing`;
}

const longDate = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric" });

/** "2026-03-12T09:30:00Z" → "12 mars 2026". */
export function formatLongDate(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : longDate.format(date);
}

/** Why this professional has access, in the patient's words. */
export function basisLabel(authorization: Authorization): string {
    if (authorization.basis === "care_team") {
        return "Membre de mon équipe de soins.";
    }
    return `Avec mon accord, déclaré le ${formatLongDate(authorization.grantedAt)}.`;
}

/** «Médecin – Cabinet du Dr Martin, Paris»: what the patient knows of a professional. */
export function professionalDetails(professional: SharedProfessional): string {
    return [professional.profession, professional.workplace].filter((part) => part !== null && part !== "").join(" – ");
}
