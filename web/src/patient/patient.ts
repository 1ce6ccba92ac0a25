/**
 * What the JSON API says about the signed-in patient (GET /api/me) and the
 * small calls shared by several patient screens.
 */
import { apiFetch } from "../shared/api";
import type { Answer } from "../shared/answers";

/**
 * GET /api/me. kind "caregiver": a proche aidant's own login, with no DMP of its own (no INS).
 * A record's status "closed": read-only until reactivated (DOMAIN.md §7).
 */
export type Me = Answer<"/api/me", "get">;
export type ManagedRecord = Me["records"][number];
export type Ins = NonNullable<Me["identity"]["ins"]>;
export type CodeChannel = Me["contact"]["codeChannel"];
export type FirstLoginStep = NonNullable<Me["firstLoginStep"]>;

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
