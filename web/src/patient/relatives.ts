import type { Answer } from "../shared/answers";

/** A child on my Vitale card who has no DMP yet (GET /api/me/eligible-children). */
export type EligibleChild = Answer<"/api/me/eligible-children", "get">["children"][number];

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
