import type { Ins } from "../patient/patient";

/** What POST /api/creation/records answers (201), passed to the result screen in router state. */
export interface CreatedRecord {
    loginId: string;
    initialPassword: string;
    birthName: string;
    firstNames: string;
    ins: Ins;
}

export function isCreatedRecord(value: unknown): value is CreatedRecord {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const v = value as Record<string, unknown>;
    return (
        typeof v.loginId === "string" &&
        typeof v.initialPassword === "string" &&
        typeof v.birthName === "string" &&
        typeof v.firstNames === "string" &&
        v.ins !== null &&
        typeof v.ins === "object"
    );
}

/** What people type around a creation code (spaces, dashes, lowercase) is tidied up. */
export function normalizeCreationCode(input: string): string {
    return input.trim().toUpperCase().replace(/[\s-]+/g, "");
}

export function checkCreationCode(input: string): string | undefined {
    const code = normalizeCreationCode(input);
    if (code === "") {
        return "Écrivez votre code de création.";
    }
    if (!/^[A-Z0-9]+$/.test(code)) {
        return "Le code a seulement des lettres et des chiffres.";
    }
    if (code.length !== 12) {
        return `Le code a 12 lettres et chiffres. Vous en avez écrit ${code.length}.`;
    }
    return undefined;
}
