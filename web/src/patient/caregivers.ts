/**
 * Proches aidants (DOMAIN.md §1) as the JSON API says them (src/api/caregiver/routes.ts):
 * the titulaire's list, invitations and removals; the invited person's acceptance.
 */
import type { Answer } from "../shared/answers";

/** status "invited": the code was sent and not used yet; "active": they accepted. */
export type Caregiver = Answer<"/api/records/{recordId}/caregivers", "get">["caregivers"][number];

export const MAX_CAREGIVERS = 3;

export function caregiversApi(recordId: string): string {
    return `/api/records/${encodeURIComponent(recordId)}/caregivers`;
}

/** POST /api/caregiver-invitations/check */
export type InvitationCheck = Answer<"/api/caregiver-invitations/check", "post">;
