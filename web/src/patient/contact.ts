export type ContactKind = "mobile" | "email";

/** A pending contact change, passed to the code screen in router state. */
export interface ContactChallenge {
    kind: ContactKind;
    challengeId: string;
    destination: string;
}

export function isContactChallenge(value: unknown): value is ContactChallenge {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const v = value as Record<string, unknown>;
    return (
        (v.kind === "mobile" || v.kind === "email") &&
        typeof v.challengeId === "string" &&
        typeof v.destination === "string"
    );
}
