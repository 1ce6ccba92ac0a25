import { z } from 'zod';

/** The answers of the caregivers' door («Mes proches aidants», invitations), as zod schemas. */

export const caregiverList = z.object({
  caregivers: z.array(
    z.object({
      caregiverId: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      email: z.string(),
      status: z.enum(['active', 'invited']),
      invitedAt: z.string(),
      acceptedAt: z.string().nullable(),
      expiresAt: z.string(),
    }),
  ),
});

export const invitationSent = z.object({ caregiverId: z.string(), expiresAt: z.string() });

/** What the invited person is told before accepting: who invites them, for whose record. */
export const invitationChecked = z.object({ firstName: z.string(), lastName: z.string(), patientName: z.string() });

export const invitationAccepted = z.object({ loginId: z.string(), created: z.boolean() });
