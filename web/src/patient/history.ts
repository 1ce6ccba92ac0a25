/**
 * «Historique des accès» and «Mes notifications»: what the JSON API says, and the words of the
 * filters (shared with the service: src/history/history-labels.ts).
 */
import { ACTION_LABELS, ACTOR_KIND_LABELS } from "../../../src/history/history-labels";

export { ACTION_LABELS, ACTOR_KIND_LABELS };

/** The «Qui» choices, in the order a patient thinks of them. */
export const WHO_CHOICES = (["professional", "patient", "representative", "caregiver", "agent", "system", "operator", "anonymous"] as const).map(
    (value) => ({ value, label: ACTOR_KIND_LABELS[value] })
);

/** The «Quoi» choices. */
export const WHAT_CHOICES = (Object.keys(ACTION_LABELS) as (keyof typeof ACTION_LABELS)[]).map((value) => ({
    value,
    label: ACTION_LABELS[value]
}));

/** One line of the history, as GET /api/records/:recordId/history gives it. */
export interface HistoryEntry {
    seq: number;
    occurredAt: string;
    when: string;
    who: string;
    whoLabel: string;
    actorName: string;
    profession: string | null;
    workplace: string | null;
    what: string;
    whatLabel: string;
    documentId: string | null;
    document: string | null;
    allowed: boolean;
    reason: string | null;
    sentence: string;
}

export interface HistoryPage {
    total: number;
    limit: number;
    offset: number;
    entries: HistoryEntry[];
}

export interface HistoryVerification {
    verified: boolean;
    checkedAt: string;
    events: number;
    signedCheckpointAt: string | null;
}

export const HISTORY_PAGE_SIZE = 20;

export const historyApi = (recordId: string) => `/api/records/${encodeURIComponent(recordId)}/history`;

export type NoticeFamily =
    | "first-access-new-professional"
    | "emergency-access"
    | "new-document"
    | "contact-or-password-change"
    | "closure-reactivation";

export interface NotificationPreference {
    family: NoticeFamily;
    label: string;
    description: string;
    email: boolean;
    sms: boolean;
}

export interface NotificationPreferences {
    preferences: NotificationPreference[];
    contact: { email: string | null; mobile: string | null };
}

export const NOTIFICATION_PREFERENCES_API = "/api/me/notification-preferences";

/** «12/03/2026 à 10 h 42», Paris time, from an ISO instant. */
export function formatInstant(iso: string): string {
    const parts = Object.fromEntries(
        new Intl.DateTimeFormat("fr-FR", {
            timeZone: "Europe/Paris",
            day: "2-digit",
            month: "2-digit",
            year: "numeric",
            hour: "numeric",
            minute: "2-digit",
            hourCycle: "h23"
        })
            .formatToParts(new Date(iso))
            .map((p) => [p.type, p.value])
    );
    return `${parts.day}/${parts.month}/${parts.year} à ${Number(parts.hour)} h ${parts.minute}`;
}
