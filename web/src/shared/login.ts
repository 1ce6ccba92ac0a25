import type { CodeChannel } from "../patient/patient";
import type { Answer } from "./answers";

/** A one-time code sent at login (destination masked, e.g. "06 •• •• •• 78"), passed from /connexion to /connexion/code in router state. */
export type LoginChallenge = Answer<"/api/auth/login", "post">;

export function isLoginChallenge(value: unknown): value is LoginChallenge {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const v = value as Record<string, unknown>;
    return (
        typeof v.challengeId === "string" &&
        (v.channel === "sms" || v.channel === "email") &&
        typeof v.destination === "string"
    );
}

/** "par SMS au" / "par mail à", to put before the (masked) destination. */
export function sentBy(channel: CodeChannel): string {
    return channel === "sms" ? "par SMS au" : "par mail à";
}

/** A message left in router state for the next page, e.g. {notice: "..."}. */
export function noticeFrom(state: unknown): string | null {
    if (state !== null && typeof state === "object" && "notice" in state && typeof state.notice === "string") {
        return state.notice;
    }
    return null;
}
