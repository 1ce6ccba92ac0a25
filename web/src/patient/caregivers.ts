/**
 * Proches aidants (DOMAIN.md §1) as the JSON API says them (src/api/caregiver/routes.ts):
 * the titulaire's list, invitations and removals; the invited person's acceptance.
 */

export interface Caregiver {
    caregiverId: string;
    firstName: string;
    lastName: string;
    email: string;
    /** "invited": the code was sent and not used yet; "active": they accepted. */
    status: "invited" | "active";
    invitedAt: string;
    acceptedAt: string | null;
    expiresAt: string;
}

export const MAX_CAREGIVERS = 3;

export function caregiversApi(recordId: string): string {
    return `/api/records/${encodeURIComponent(recordId)}/caregivers`;
}

/** POST /api/caregiver-invitations/check */
export interface InvitationCheck {
    firstName: string;
    lastName: string;
    patientName: string;
}
