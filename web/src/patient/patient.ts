/**
 * What the JSON API says about the signed-in patient (GET /api/me) and the
 * small calls shared by several patient screens.
 */
import { apiFetch } from "../shared/api";

export type CodeChannel = "sms" | "email";
export type FirstLoginStep = "personal" | "password" | "emergency";

export interface Ins {
    matricule: string;
    oid: string | null;
}

export interface ManagedRecord {
    recordId: string;
    role: "holder" | "legal_representative" | "caregiver";
    firstNames: string;
    birthName: string;
    /** A closed record is read-only until reactivated (DOMAIN.md §7). */
    status: "active" | "closed";
    closedAt: string | null;
}

export interface Me {
    loginId: string;
    /** "caregiver": a proche aidant's own login, with no DMP of its own (no INS). */
    kind: "patient" | "caregiver";
    identity: {
        birthName: string;
        usedName: string | null;
        firstNames: string;
        sex: "M" | "F" | null;
        birthDate: string | null;
        birthPlace: string | null;
        ins: Ins | null;
    };
    contact: {
        mobile: string | null;
        email: string | null;
        codeChannel: CodeChannel;
    };
    personal: {
        civility: "M" | "Mme" | null;
        addressLine: string | null;
        postalCode: string | null;
        city: string | null;
        country: string | null;
        birthCountry: string | null;
        landline: string | null;
    };
    firstLoginStep: FirstLoginStep | null;
    records: ManagedRecord[];
    currentRecordId: string | null;
}

export function fetchMe() {
    return apiFetch<Me>("/api/me");
}

export function logout() {
    return apiFetch<void>("/api/auth/logout", { method: "POST" });
}

/** "Nicolas Pierre" → "Nicolas": the first of the first names, for greetings. */
export function firstFirstName(firstNames: string): string {
    return firstNames.trim().split(/[\s,]+/)[0] ?? firstNames;
}

/** "1985-05-14" → "14/05/1985"; anything else is shown as is. */
export function formatDate(isoDate: string): string;
export function formatDate(isoDate: string | null): string | null;
export function formatDate(isoDate: string | null): string | null {
    if (isoDate === null) {
        return null;
    }
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
    return match ? `${match[3]}/${match[2]}/${match[1]}` : isoDate;
}

export function recordLabel(record: ManagedRecord): string {
    return `${record.firstNames} ${record.birthName}`;
}

/** "+33639980001" → "06 39 98 00 01" (French numbers); anything else is shown as is. */
export function formatPhone(phone: string | null): string | null {
    if (phone === null) {
        return null;
    }
    const compact = phone.replace(/[\s.-]/g, "");
    const national = compact.startsWith("+33") ? `0${compact.slice(3)}` : compact;
    return /^0\d{9}$/.test(national) ? national.replace(/(\d{2})(?=\d)/g, "$1 ") : phone;
}
