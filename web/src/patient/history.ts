/**
 * «Historique des accès» and «Mes notifications»: what the JSON API says, and the words of the
 * filters (shared with the service: src/history/history-labels.ts).
 */
import { ACTION_LABELS, ACTOR_KIND_LABELS } from "../../../src/history/history-labels";
import type { Answer } from "../shared/answers";

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

export type HistoryPage = Answer<"/api/records/{recordId}/history", "get">;
/** One line of the history, as GET /api/records/:recordId/history gives it. */
export type HistoryEntry = HistoryPage["entries"][number];
export type HistoryVerification = Answer<"/api/records/{recordId}/history/verification", "get">;

export const HISTORY_PAGE_SIZE = 20;

export const historyApi = (recordId: string) => `/api/records/${encodeURIComponent(recordId)}/history`;

export type NotificationPreferences = Answer<"/api/me/notification-preferences", "get">;
export type NotificationPreference = NotificationPreferences["preferences"][number];
export type NoticeFamily = NotificationPreference["family"];

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
