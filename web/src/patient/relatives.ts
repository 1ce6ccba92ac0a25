/** A child on my Vitale card who has no DMP yet (GET /api/me/eligible-children). */
export interface EligibleChild {
    nir: string;
    firstNames: string;
    birthName: string;
    birthDate: string;
}

export function isEligibleChild(value: unknown): value is EligibleChild {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const v = value as Record<string, unknown>;
    return (
        typeof v.nir === "string" &&
        typeof v.firstNames === "string" &&
        typeof v.birthName === "string" &&
        typeof v.birthDate === "string"
    );
}
