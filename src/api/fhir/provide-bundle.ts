/**
 * Reading an ITI-65 Provide Document Bundle (pure): a FHIR `transaction` Bundle holding the
 * submission set (List), one DocumentReference and its Binary. This API takes one document per
 * bundle. Anything malformed is refused here, before the record is even looked for.
 */
import { z } from 'zod';
import { AppError, badRequest, type FieldError } from '../../platform';
import { INS_OID } from '../../identity';
import { flagsFromLabels, typeFromCoding, type VisibilityFlags } from './resources';

const coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const identifier = z.object({ system: z.string().min(1), value: z.string().min(1) });

const documentReference = z.object({
  resourceType: z.literal('DocumentReference'),
  status: z.literal('current', { error: 'Un document déposé a le statut « current ».' }),
  type: z.object({ coding: z.array(coding).min(1) }),
  subject: z.object({ identifier }, { error: 'Le patient (subject.identifier, son INS) est obligatoire.' }),
  description: z.string().max(200).optional(),
  securityLabel: z.array(z.object({ coding: z.array(coding).optional() })).optional(),
  content: z
    .array(z.object({ attachment: z.object({ contentType: z.string().min(1), url: z.string().min(1), title: z.string().max(200).optional() }) }))
    .length(1, 'Un DocumentReference décrit ici un seul contenu.'),
  context: z.object({ period: z.object({ start: z.string().optional() }).optional() }).optional(),
});

const binary = z.object({
  resourceType: z.literal('Binary'),
  contentType: z.string().min(1),
  data: z.string().min(1, 'Le contenu du document (Binary.data) est vide.'),
});

const list = z.object({
  resourceType: z.literal('List'),
  subject: z.object({ identifier: identifier.optional() }).optional(),
});

const bundle = z.object({
  resourceType: z.literal('Bundle', { error: 'Envoyez une ressource Bundle.' }),
  type: z.literal('transaction', { error: 'Le Bundle doit être de type « transaction ».' }),
  entry: z
    .array(
      z.object({
        fullUrl: z.string().min(1),
        resource: z.looseObject({ resourceType: z.string() }),
        request: z.object({ method: z.literal('POST', { error: 'Chaque entrée est créée (request.method POST).' }), url: z.string() }),
      }),
    )
    .min(3, 'Le lot doit contenir un List, un DocumentReference et un Binary.')
    .max(3, 'Un seul document par lot : un List, un DocumentReference et un Binary.'),
});

export interface ProvidedDocument {
  ins: { oid: string; matricule: string };
  typeCode: string;
  title: string | undefined;
  careDate: string | undefined;
  flags: Partial<VisibilityFlags>;
  bytes: Buffer;
  /** The resource type of each entry, in the order sent (the response follows it). */
  entryTypes: ('List' | 'DocumentReference' | 'Binary')[];
}

const INS_SYSTEMS = new Set<string>(Object.values(INS_OID).map((oid) => `urn:oid:${oid}`));

export function readProvideBundle(body: unknown, maxBytes: number): ProvidedDocument {
  const parsed = bundle.safeParse(body);
  if (!parsed.success) throw invalid(parsed.error, '');
  const entries = parsed.data.entry;
  const one = <T>(type: string, schema: z.ZodType<T>) => {
    const found = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.resource.resourceType === type);
    if (found.length !== 1) throw badRequest(`Le lot doit contenir exactement une ressource ${type}.`);
    const { e, i } = found[0]!;
    const resource = schema.safeParse(e.resource);
    if (!resource.success) throw invalid(resource.error, `entry[${i}].resource.`);
    return { fullUrl: e.fullUrl, resource: resource.data };
  };
  const submissionSet = one('List', list);
  const reference = one('DocumentReference', documentReference);
  const content = one('Binary', binary);

  const subject = reference.resource.subject.identifier;
  if (!INS_SYSTEMS.has(subject.system)) throw badRequest('Le patient doit être désigné par son INS (système urn:oid:1.2.250.1.213.1.4.8 pour un NIR).');
  const listSubject = submissionSet.resource.subject?.identifier;
  if (listSubject && (listSubject.system !== subject.system || listSubject.value !== subject.value)) {
    throw badRequest('Le lot de soumission (List) et le document ne désignent pas le même patient.');
  }
  const attachment = reference.resource.content[0]!.attachment;
  if (attachment.url !== content.fullUrl) throw badRequest('Le contenu du document (attachment.url) doit désigner le Binary du lot (son fullUrl).');
  if (attachment.contentType !== content.resource.contentType) throw badRequest('Le DocumentReference et le Binary n’annoncent pas le même type de contenu.');

  const typeCode = reference.resource.type.coding.map(typeFromCoding).find((code) => code !== null);
  if (!typeCode) {
    throw new AppError(422, 'invalid-field', 'Information incorrecte', 'Ce type de document n’existe pas dans la liste officielle des types de documents.', [
      { field: 'DocumentReference.type', message: 'Type de document inconnu.' },
    ]);
  }
  const size = base64Size(content.resource.data);
  if (size === null) throw badRequest('Le contenu du document (Binary.data) n’est pas en base64.');
  if (size > maxBytes) {
    throw new AppError(413, 'too-large', 'Envoi trop volumineux', `Le document dépasse la taille permise (${Math.floor(maxBytes / (1024 * 1024)) || 1} Mo au plus).`);
  }
  const start = reference.resource.context?.period?.start;
  return {
    ins: { oid: subject.system.slice('urn:oid:'.length), matricule: subject.value },
    typeCode,
    title: reference.resource.description ?? attachment.title,
    careDate: start ? start.slice(0, 10) : undefined,
    flags: flagsFromLabels(reference.resource.securityLabel ?? []),
    // Checked above: the decoder only skips the whitespace.
    bytes: Buffer.from(content.resource.data, 'base64'),
    entryTypes: entries.map((e) => e.resource.resourceType as ProvidedDocument['entryTypes'][number]),
  };
}

/**
 * The decoded size of strict base64 (whitespace allowed between characters), or null when it
 * is not base64. One pass over the characters: a regular expression over a 27 MB string
 * overflows the engine's backtracking stack, which was a 500 for any document over about 3 MB.
 */
function base64Size(text: string): number | null {
  let length = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d /* = */) padding++;
    else if (padding > 0 || !isBase64Letter(c)) return null;
    length++;
  }
  if (length % 4 !== 0 || padding > 2) return null;
  return (length / 4) * 3 - padding;
}

const isBase64Letter = (c: number) =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;

function invalid(error: z.ZodError, prefix: string): AppError {
  const errors: FieldError[] = error.issues.map((issue) => ({ field: prefix + (issue.path.join('.') || 'Bundle'), message: issue.message }));
  return badRequest('Le lot envoyé (Bundle ITI-65) est incorrect.', errors);
}
