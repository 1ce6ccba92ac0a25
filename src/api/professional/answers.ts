import { z } from 'zod';
import { documentPage } from '../answers';

/** The answers of the professional's door (the professional space and practice software), as zod schemas. */

/** The record as the professional finds it: who the patient is (if known) and whether they may read it, and why. */
export const recordStanding = z.object({
  recordId: z.string(),
  status: z.enum(['active', 'closed']),
  patient: z.object({ birthName: z.string(), firstNames: z.string(), birthDate: z.string(), sex: z.string() }).nullable(),
  treatingDoctor: z.boolean(),
  authorized: z.boolean(),
  blocked: z.boolean(),
  mode: z.enum(['normal', 'break-glass', 'samu']),
  canRead: z.boolean(),
  rule: z.string(),
  explanation: z.string(),
});

export const proHistory = z.object({
  events: z.array(
    z.object({
      seq: z.number(),
      occurredAt: z.string(),
      actorKind: z.string(),
      actorName: z.string().nullable(),
      profession: z.string().nullable(),
      action: z.string(),
      documentId: z.string().nullable(),
      allowed: z.boolean(),
      rule: z.string().nullable(),
    }),
  ),
});

/** The list, with the policy's sentence saying what the professional may see of it. */
export const proDocumentPage = documentPage.extend({ explanation: z.string() });

/** GET /api/pro/me: the signed-in professional (from Pro Santé Connect and the directory), with readable labels. */
export const professionalMe = z.object({
  rpps: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  name: z.string(),
  profession: z.string(),
  specialty: z.string().nullable(),
  role: z.enum(['samu_regulator']).nullable(),
  workplace: z.object({ name: z.string(), finess: z.string().nullable() }),
  professionLabel: z.string().nullable(),
  specialtyLabel: z.string().nullable(),
});

/** A patient found by INS and traits: their record, and whether it is open. */
export const foundPatient = z.object({
  recordId: z.string(),
  patient: z.object({ birthName: z.string(), firstNames: z.string(), birthDate: z.string(), sex: z.string() }),
  recordStatus: z.enum(['active', 'closed']),
});
