import { z } from 'zod';
import { HEALTH_ENTRY_KINDS } from '../../documents';
import { NOTICE_FAMILIES } from '../../notify';

/** The answers of the patient's door (records they hold or represent, their account), as zod schemas. */

// ---- Health profile ----------------------------------------------------------------------------

/** One entry of «Ma santé»; its content's fields depend on the kind (checked by src/documents/health-profile.ts). */
export const healthEntry = z.object({
  entryId: z.string(),
  kind: z.enum(HEALTH_ENTRY_KINDS),
  content: z.record(z.string(), z.unknown()),
  author: z.object({ kind: z.string(), id: z.string().nullable() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const healthProfile = z.object({
  entries: z.object(Object.fromEntries(HEALTH_ENTRY_KINDS.map((k) => [k, z.array(healthEntry)])) as Record<(typeof HEALTH_ENTRY_KINDS)[number], z.ZodArray<typeof healthEntry>>),
  treatingDoctor: z.object({ name: z.string(), profession: z.string(), specialty: z.string().nullable(), workplace: z.string() }).nullable(),
});

// ---- Sharing -----------------------------------------------------------------------------------

/** A professional as the patient sees them (the directory's public part), or just the RPPS number if unknown. */
export const professionalView = z.object({
  rpps: z.string(),
  name: z.string(),
  profession: z.string().nullable(),
  workplace: z.string().nullable(),
});

export const emergencySwitches = z.object({ breakGlass: z.boolean(), samu: z.boolean(), maskedInEmergency: z.boolean() });

export const sharing = z.object({
  treatingDoctor: professionalView.nullable(),
  authorizations: z.array(professionalView.extend({ basis: z.string(), grantedAt: z.string() })),
  blocks: z.array(professionalView),
  emergency: emergencySwitches,
});

// ---- History -----------------------------------------------------------------------------------

export const historyEntry = z.object({
  seq: z.number(),
  occurredAt: z.string(),
  when: z.string(),
  who: z.string(),
  whoLabel: z.string(),
  actorName: z.string(),
  profession: z.string().nullable(),
  workplace: z.string().nullable(),
  what: z.string(),
  whatLabel: z.string(),
  documentId: z.string().nullable(),
  document: z.string().nullable(),
  allowed: z.boolean(),
  rule: z.string().nullable(),
  reason: z.string().nullable(),
  sentence: z.string(),
});

export const historyPage = z.object({ total: z.number(), limit: z.number(), offset: z.number(), entries: z.array(historyEntry) });

export const historyVerification = z.object({
  verified: z.boolean(),
  checkedAt: z.string(),
  events: z.number(),
  signedCheckpointAt: z.string().nullable(),
});

export const notificationPreferences = z.object({
  preferences: z.array(z.object({ family: z.enum(NOTICE_FAMILIES), label: z.string(), description: z.string(), email: z.boolean(), sms: z.boolean() })),
  contact: z.object({ email: z.string().nullable(), mobile: z.string().nullable() }),
});

// ---- Lifecycle ---------------------------------------------------------------------------------

export const lifecycleChange = z.object({
  status: z.enum(['active', 'closed']),
  closedAt: z.string().nullable(),
  destroyOn: z.string().nullable(),
});

export const lifecycleState = lifecycleChange.extend({
  recordId: z.string(),
  role: z.enum(['holder', 'legal_representative', 'caregiver']),
  mayDestroy: z.boolean(),
});

export const recordDestroyed = z.object({ destroyed: z.boolean(), accountDeleted: z.boolean() });

// ---- Accounts ----------------------------------------------------------------------------------

const nullableText = z.string().nullable();

/** A record the signed-in account acts on (its own, a child's, one it helps with). */
export const accountRecord = z.object({
  recordId: z.string(),
  role: z.enum(['holder', 'legal_representative', 'caregiver']),
  firstNames: z.string(),
  birthName: z.string(),
  status: z.enum(['active', 'closed']),
  closedAt: nullableText,
});

/** GET /api/me: a patient's account, or a caregiver's own login (no DMP of their own: no INS, no personal data). */
export const profileAnswer = z.object({
  loginId: z.string(),
  kind: z.enum(['patient', 'caregiver']),
  identity: z.object({
    birthName: z.string(),
    usedName: nullableText,
    firstNames: z.string(),
    sex: z.enum(['M', 'F']).nullable(),
    birthDate: nullableText,
    birthPlace: nullableText,
    ins: z.object({ matricule: z.string(), oid: nullableText }).nullable(),
  }),
  contact: z.object({ mobile: nullableText, email: nullableText, codeChannel: z.enum(['sms', 'email']) }),
  personal: z.object({
    civility: nullableText,
    addressLine: nullableText,
    postalCode: nullableText,
    city: nullableText,
    country: nullableText,
    birthCountry: nullableText,
    landline: nullableText,
  }),
  firstLoginStep: z.enum(['personal', 'password', 'emergency']).nullable(),
  records: z.array(accountRecord),
  currentRecordId: nullableText,
});

/** A first-login step done: the next one, or null when the wizard is over. */
export const firstLoginNext = z.object({ next: z.enum(['personal', 'password', 'emergency']).nullable() });

export const createdRecord = z.object({
  loginId: z.string(),
  initialPassword: z.string(),
  birthName: z.string(),
  firstNames: z.string(),
  ins: z.object({ matricule: z.string(), oid: z.string() }),
});

/** The children a parent may open a DMP for (from the insured-persons directory). */
export const childrenAnswer = z.object({
  children: z.array(z.object({ nir: z.string(), firstNames: z.string(), birthName: z.string(), birthDate: z.string() })),
});
