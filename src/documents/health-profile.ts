import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../platform';
import { AppError, conflict, notFound, type FieldError } from '../platform';
import { findInsuredPerson, findProfessional } from '../directory';
import { DOCTOR, findSpecialty, professionLabel } from '../directory';
import { dataKeyFor, recordCipher, type RecordCipher, type RecordKeyTables } from '../platform';
import type { DocumentTables, HealthEntryKind } from './tables';
import { lockRecordKeyRow } from '../platform';

/**
 * The structured health profile (conditions, allergies, treatments, vaccinations) and the
 * patient's wishes (organ donation, trusted person, people to warn in an emergency).
 * Each entry's content is validated by its kind's schema, then sealed as JSON under the
 * record's data key: only the kind, the author and the row's timestamps stay in clear.
 * Deleting is logical (deleted_at); the sealed content goes when the record's key is destroyed.
 */

export type { HealthEntryKind };

export const HEALTH_ENTRY_KINDS = [
  'condition',
  'allergy',
  'treatment',
  'vaccination',
  'organ-donation',
  'trusted-person',
  'emergency-contact',
] as const satisfies readonly HealthEntryKind[];

export const ALLERGY_SEVERITIES = ['légère', 'modérée', 'grave'] as const;
export const ORGAN_DONATION_CHOICES = ['oui', 'non', 'non-renseigné'] as const;

// ---- Contents ------------------------------------------------------------------------------

const tooLong = (max: number) => `${max} caractères au plus.`;

const requiredText = (max: number, missing: string) =>
  z.string({ error: missing }).trim().min(1, { error: missing, abort: true }).max(max, tooLong(max));

/** Forms send an empty field as '' or null: both mean "not given". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' ? v.trim() || undefined : (v ?? undefined));
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const optionalText = (max: number) => optional(z.string({ error: 'Écrivez du texte.' }).max(max, tooLong(max)));

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function isCalendarDate(value: string): boolean {
  const m = PARTIAL_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), m[2] ? Number(m[2]) : 1, m[3] ? Number(m[3]) : 1];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A date in the past. People remember when an illness began by its year more often than
 * by its day, so a `since` may be a year (2019), a month (2019-04) or a day (2019-04-12).
 * Dates compare as strings: a prefix of today (this year, this month) is not in the future.
 */
function pastDate(today: string, partial: boolean, missing: string) {
  const format = partial
    ? 'Écrivez une année (2019), un mois (2019-04) ou une date (2019-04-12).'
    : 'Écrivez une date au format AAAA-MM-JJ, par exemple 2024-10-15.';
  return z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing, abort: true })
    .refine((v) => (partial || v.length === 10) && isCalendarDate(v), { error: format, abort: true })
    .refine((v) => v.slice(0, 10) <= today, 'Cette date est dans le futur.');
}
const sinceDate = (today: string) => optional(pastDate(today, true, 'Écrivez une année, un mois ou une date.'));

const PHONE_MESSAGE = 'Écrivez un numéro de téléphone, par exemple 06 12 34 56 78.';
const phone = z
  .string({ error: 'Écrivez son numéro de téléphone.' })
  .trim()
  .min(1, { error: 'Écrivez son numéro de téléphone.', abort: true })
  .transform((v) => v.replace(/[\s.()-]/g, ''))
  .refine((v) => /^0[1-9]\d{8}$/.test(v) || /^\+[1-9]\d{7,14}$/.test(v), PHONE_MESSAGE);

const person = z.object({
  name: requiredText(120, 'Écrivez son prénom et son nom.'),
  relationship: requiredText(60, 'Écrivez son lien avec vous, par exemple : sœur, ami, voisine.'),
  phone,
  email: optional(z.email({ error: 'Écrivez une adresse mail complète, par exemple nom@exemple.fr.' }).max(254, tooLong(254))),
});

function contentSchemas(today: string) {
  return {
    condition: z.object({
      label: requiredText(200, 'Écrivez le nom de la maladie ou du problème de santé.'),
      since: sinceDate(today),
      note: optionalText(1000),
    }),
    allergy: z.object({
      substance: requiredText(200, 'Écrivez ce qui vous donne une allergie, par exemple : pénicilline, arachide.'),
      reaction: optionalText(500),
      severity: optional(z.enum(ALLERGY_SEVERITIES, { error: 'Choisissez : légère, modérée ou grave.' })),
    }),
    treatment: z.object({
      medicine: requiredText(200, 'Écrivez le nom du médicament.'),
      dosage: optionalText(200),
      since: sinceDate(today),
      prescriber: optionalText(120),
    }),
    vaccination: z.object({
      vaccine: requiredText(200, 'Écrivez le nom du vaccin.'),
      date: pastDate(today, false, 'Écrivez la date du vaccin.'),
      dose: optionalText(60),
      batch: optionalText(60),
    }),
    'organ-donation': z.object({
      choice: z.enum(ORGAN_DONATION_CHOICES, { error: 'Choisissez une réponse.' }),
      note: optionalText(1000),
    }),
    'trusted-person': person,
    'emergency-contact': person,
  } satisfies Record<HealthEntryKind, z.ZodType>;
}

type Schemas = ReturnType<typeof contentSchemas>;
export type HealthEntryContents = { [K in HealthEntryKind]: z.output<Schemas[K]> };

// ---- Entries --------------------------------------------------------------------------------

export interface HealthEntryAuthor {
  kind: 'patient' | 'representative' | 'professional';
  /** The account's login id, or a professional's RPPS number. */
  id: string;
}

export type HealthEntry = {
  [K in HealthEntryKind]: {
    entryId: string;
    kind: K;
    content: HealthEntryContents[K];
    /** Who wrote the current content (or deleted it). The id is shown only for a professional (RPPS). */
    author: { kind: string; id: string | null };
    createdAt: string;
    updatedAt: string;
  };
}[HealthEntryKind];

/**
 * How many live entries of a kind a record may hold, and what a new one does once that
 * many exist: replace the current one (a statement: organ donation) or be refused (people:
 * replacing someone silently from a stale screen would be worse than asking).
 */
const LIMITS: Record<HealthEntryKind, { max: number; whenFull: 'replace' | string }> = {
  condition: { max: 200, whenFull: 'Vous avez atteint le nombre maximum de maladies (200).' },
  allergy: { max: 200, whenFull: 'Vous avez atteint le nombre maximum d’allergies (200).' },
  treatment: { max: 200, whenFull: 'Vous avez atteint le nombre maximum de traitements (200).' },
  vaccination: { max: 200, whenFull: 'Vous avez atteint le nombre maximum de vaccins (200).' },
  'organ-donation': { max: 1, whenFull: 'replace' },
  'trusted-person': {
    max: 1,
    whenFull: 'Vous avez déjà une personne de confiance. Pour en changer, modifiez-la ou supprimez-la d’abord.',
  },
  'emergency-contact': {
    max: 3,
    whenFull: 'Vous avez déjà 3 personnes à prévenir : c’est le maximum. Supprimez-en une pour en ajouter une autre.',
  },
};

type Tables = DocumentTables & RecordKeyTables;
type Row = Selectable<DocumentTables['health_entry']>;
const purpose = (entryId: string) => `health-entry:${entryId}`;

export function isHealthEntryKind(value: string): value is HealthEntryKind {
  return (HEALTH_ENTRY_KINDS as readonly string[]).includes(value);
}

/**
 * The content checked against its kind's schema: cleaned (trimmed, empty optional fields
 * dropped), or a 400 naming each wrong field as `content.<field>`.
 */
export function validateContent<K extends HealthEntryKind>(kind: K, content: unknown, today: string): HealthEntryContents[K] {
  const parsed = contentSchemas(today)[kind].safeParse(content);
  if (parsed.success) return parsed.data as HealthEntryContents[K];
  const errors: FieldError[] = parsed.error.issues.map((issue) => ({
    field: ['content', ...issue.path.map(String)].join('.'),
    message: issue.path.length ? issue.message : 'Le contenu doit être un objet avec les champs de cette rubrique.',
  }));
  throw new AppError(400, 'invalid-field', 'Information incorrecte', errors.map((e) => e.message).join(' '), errors);
}

export async function listEntries(ctx: AppContext, recordId: string): Promise<HealthEntry[]> {
  const cipher = await cipherFor(ctx, recordId);
  const rows = await db(ctx)
    .selectFrom('health_entry')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('entry_id')
    .execute();
  return rows.map((row) => toEntry(cipher, row));
}

export async function addEntry(
  ctx: AppContext,
  recordId: string,
  author: HealthEntryAuthor,
  input: { kind: HealthEntryKind; content: unknown },
): Promise<HealthEntry> {
  const now = ctx.clock.now();
  const content = validateContent(input.kind, input.content, today(now));
  const cipher = await cipherFor(ctx, recordId);
  const entryId = randomUUID();
  const row = await db(ctx)
    .transaction()
    .execute(async (trx) => {
      await lockProfile(trx, recordId);
      await makeRoom(trx, recordId, input.kind, author, now);
      return trx
        .insertInto('health_entry')
        .values({
          record_id: recordId,
          entry_id: entryId,
          kind: input.kind,
          content_sealed: cipher.seal(purpose(entryId), JSON.stringify(content)),
          author_kind: author.kind,
          author_id: author.id,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  return toEntry(cipher, row);
}

export async function updateEntry(
  ctx: AppContext,
  recordId: string,
  entryId: string,
  author: HealthEntryAuthor,
  content: unknown,
): Promise<HealthEntry> {
  const now = ctx.clock.now();
  const current = await liveRow(ctx, recordId, entryId);
  const checked = validateContent(current.kind, content, today(now));
  const cipher = await cipherFor(ctx, recordId);
  const row = await db(ctx)
    .updateTable('health_entry')
    .set({
      content_sealed: cipher.seal(purpose(entryId), JSON.stringify(checked)),
      author_kind: author.kind,
      author_id: author.id,
      updated_at: now,
    })
    .where('record_id', '=', recordId)
    .where('entry_id', '=', entryId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw entryNotFound();
  return toEntry(cipher, row);
}

/** Logical deletion; the author columns then name who deleted it. */
export async function deleteEntry(ctx: AppContext, recordId: string, entryId: string, author: HealthEntryAuthor): Promise<void> {
  const now = ctx.clock.now();
  const row = await db(ctx)
    .updateTable('health_entry')
    .set({ deleted_at: now, updated_at: now, author_kind: author.kind, author_id: author.id })
    .where('record_id', '=', recordId)
    .where('entry_id', '=', entryId)
    .where('deleted_at', 'is', null)
    .returning('entry_id')
    .executeTakeFirst();
  if (!row) throw entryNotFound();
}

/** The entries of each kind, every kind present (an empty list when there is none). */
export function byKind(entries: HealthEntry[]): { [K in HealthEntryKind]: Extract<HealthEntry, { kind: K }>[] } {
  const groups = Object.fromEntries(HEALTH_ENTRY_KINDS.map((k) => [k, [] as HealthEntry[]]));
  for (const entry of entries) groups[entry.kind]!.push(entry);
  return groups as { [K in HealthEntryKind]: Extract<HealthEntry, { kind: K }>[] };
}

// ---- Médecin traitant ----------------------------------------------------------------------

export interface TreatingDoctor {
  name: string;
  profession: string;
  specialty: string | null;
  workplace: string;
}

/** The médecin traitant declared to the Assurance Maladie, as the insured-persons directory knows it. */
export async function treatingDoctorOf(ctx: AppContext, nir: string): Promise<TreatingDoctor | null> {
  const rpps = (await findInsuredPerson(ctx, nir))?.treatingDoctorRpps;
  const doctor = rpps ? await findProfessional(ctx.database, rpps) : null;
  if (!doctor) return null;
  const title = doctor.professionCode === DOCTOR ? 'Dr ' : '';
  return {
    name: `${title}${doctor.firstName} ${doctor.lastName}`,
    profession: professionLabel(doctor.professionCode) ?? doctor.professionCode,
    specialty: doctor.specialtyCode ? (findSpecialty(doctor.professionCode, doctor.specialtyCode)?.label ?? null) : null,
    workplace: doctor.workplaceName,
  };
}

// ---- Inside ---------------------------------------------------------------------------------

const db = (ctx: AppContext) => ctx.database.db.withTables<Tables>();
const today = (now: Date) => now.toISOString().slice(0, 10);
const entryNotFound = () => notFound('Cette information n’existe pas ou a déjà été supprimée.');

async function cipherFor(ctx: AppContext, recordId: string): Promise<RecordCipher> {
  return recordCipher(await dataKeyFor(ctx.database.db, ctx.masterKey, recordId, ctx.clock.now()), recordId);
}

async function liveRow(ctx: AppContext, recordId: string, entryId: string): Promise<Row> {
  const row = await db(ctx)
    .selectFrom('health_entry')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('entry_id', '=', entryId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw entryNotFound();
  return row;
}

/**
 * Serializes the changes to one record's profile, so that two nodes adding at once cannot
 * pass a limit together. The record's key row exists (cipherFor made it) and lives on the
 * record's shard.
 */
function lockProfile(trx: Kysely<Tables>, recordId: string): Promise<void> {
  return lockRecordKeyRow(trx, recordId);
}

async function makeRoom(trx: Kysely<Tables>, recordId: string, kind: HealthEntryKind, author: HealthEntryAuthor, now: Date) {
  const live = await trx
    .selectFrom('health_entry')
    .select('entry_id')
    .where('record_id', '=', recordId)
    .where('kind', '=', kind)
    .where('deleted_at', 'is', null)
    .execute();
  const limit = LIMITS[kind];
  if (live.length < limit.max) return;
  if (limit.whenFull !== 'replace') throw conflict(limit.whenFull);
  await trx
    .updateTable('health_entry')
    .set({ deleted_at: now, updated_at: now, author_kind: author.kind, author_id: author.id })
    .where('record_id', '=', recordId)
    .where('entry_id', 'in', live.map((r) => r.entry_id))
    .execute();
}

function toEntry(cipher: RecordCipher, row: Row): HealthEntry {
  const content = JSON.parse(cipher.openText(purpose(row.entry_id), row.content_sealed)) as unknown;
  return {
    entryId: row.entry_id,
    kind: row.kind,
    content,
    author: { kind: row.author_kind, id: row.author_kind === 'professional' ? row.author_id : null },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  } as HealthEntry;
}
