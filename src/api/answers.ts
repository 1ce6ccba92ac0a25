import { z } from 'zod';

/**
 * Shapes of answers that several doors send (a document as listed, a deposit's receipt): declared
 * once, so that the OpenAPI document and the web app's generated types say the same everywhere.
 * A door's own shapes live in its `answers.ts`.
 */

export const documentSummary = z.object({
  documentId: z.string(),
  version: z.number(),
  status: z.string(),
  title: z.string(),
  typeCode: z.string(),
  category: z.string(),
  careDate: z.string(),
  author: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  format: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  masked: z.boolean(),
  hiddenFromPatient: z.boolean(),
  hiddenFromRepresentatives: z.boolean(),
  createdAt: z.string(),
  /** How many times this version's status or labels changed, from 1 (FHIR meta.versionId, migration 0016). */
  metaVersion: z.number(),
  /** The sharing metadata practice software gave (IHE XDS / MHD); empty for our own screens' deposits. */
  sharing: z.object({
    uniqueId: z.string().nullable(),
    sha1: z.string().nullable(),
    classCode: z.string().nullable(),
    confidentiality: z.enum(['N', 'R', 'V']),
    facilityType: z.string().nullable(),
    practiceSetting: z.string().nullable(),
    eventCodes: z.array(z.string()),
    language: z.string().nullable(),
    /** XDS creationTime, serviceStartTime, serviceStopTime: ISO instants, null when not given with a time (migration 0020). */
    authoredAt: z.string().nullable(),
    serviceStart: z.string().nullable(),
    serviceEnd: z.string().nullable(),
    submissionSetId: z.string().nullable(),
    author: z.object({
      given: z.string().nullable(),
      family: z.string().nullable(),
      profession: z.string().nullable(),
      specialty: z.string().nullable(),
      organization: z.object({ name: z.string(), id: z.string().nullable() }).nullable(),
    }),
  }),
});

export const documentPage = z.object({ total: z.number(), documents: z.array(documentSummary) });

export const depositedDocument = z.object({
  documentId: z.string(),
  version: z.number(),
  typeCode: z.string(),
  category: z.string(),
  format: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
});

/** A CDA document rendered for reading. */
export const cdaView = z.object({ html: z.string() });

/** A one-time code sent: where (masked), and the challenge to answer. */
export const issuedChallenge = z.object({ challengeId: z.string(), channel: z.enum(['sms', 'email']), destination: z.string() });

/** A record opened with the patient present: the patient's own new account, or a child's record under the card holder. */
export const inPersonCreation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account'), recordId: z.string(), loginId: z.string(), initialPassword: z.string(), birthName: z.string(), firstNames: z.string() }),
  z.object({ kind: z.literal('child'), recordId: z.string(), representativeLoginId: z.string(), birthName: z.string(), firstNames: z.string() }),
]);
