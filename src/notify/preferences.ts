import type { Kysely } from 'kysely';

/**
 * What a patient wants to be told, and how (DOMAIN.md §6: notified by email or SMS of a first
 * access by a new professional, any emergency access, a new document…). One switch per family
 * of events and per channel; everything is on until the person turns it off, so only the
 * choices that differ from that are stored (migration 0009). The HTTP routes are in
 * preference-routes.ts; the notices themselves in patient-notices.ts.
 */

export const NOTICE_FAMILIES = [
  'first-access-new-professional',
  'emergency-access',
  'new-document',
  'contact-or-password-change',
  'closure-reactivation',
] as const;
export type NoticeFamily = (typeof NOTICE_FAMILIES)[number];

export const NOTICE_CHANNELS = ['email', 'sms'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/** What the settings screen says of each family. */
export const NOTICE_FAMILY_TEXT: Readonly<Record<NoticeFamily, { label: string; description: string }>> = {
  'first-access-new-professional': {
    label: 'Un nouveau professionnel de santé accède à mon DMP',
    description: 'La première fois qu’un professionnel de santé consulte mon DMP ou y ajoute un document.',
  },
  'emergency-access': {
    label: 'Un accès en urgence à mon DMP',
    description: 'Un professionnel de santé ouvre mon DMP en urgence (bris de glace) ou le médecin régulateur du SAMU le consulte.',
  },
  'new-document': {
    label: 'Un nouveau document dans mon DMP',
    description: 'Un professionnel de santé ou un proche ajoute un document, ou un document devient visible pour moi.',
  },
  'contact-or-password-change': {
    label: 'Mon mot de passe, mon portable ou mon mail change',
    description: 'Pour réagir vite si ce n’est pas moi qui ai fait le changement.',
  },
  'closure-reactivation': {
    label: 'Mon DMP est fermé ou réactivé',
    description: 'Quand mon DMP est fermé, ou ouvert de nouveau.',
  },
};

export type ChannelChoice = { email: boolean; sms: boolean };
export type Preferences = Record<NoticeFamily, ChannelChoice>;

export type NotificationTables = {
  notification_preference: {
    login_id: string;
    family: string;
    email: boolean;
    sms: boolean;
    updated_at: Date;
  };
};

const DEFAULT: ChannelChoice = { email: true, sms: true };
const defaults = (): Preferences => Object.fromEntries(NOTICE_FAMILIES.map((f) => [f, { ...DEFAULT }])) as Preferences;
const isFamily = (f: string): f is NoticeFamily => (NOTICE_FAMILIES as readonly string[]).includes(f);

/** The preferences of several accounts at once (defaults filled in). Give it the transaction when in one. */
export async function preferencesOf(db: Kysely<any>, loginIds: readonly string[]): Promise<Map<string, Preferences>> {
  const out = new Map(loginIds.map((id) => [id, defaults()]));
  if (loginIds.length === 0) return out;
  const rows = await (db as Kysely<NotificationTables>)
    .selectFrom('notification_preference')
    .select(['login_id', 'family', 'email', 'sms'])
    .where('login_id', 'in', [...loginIds])
    .execute();
  for (const r of rows) {
    const prefs = out.get(r.login_id);
    if (prefs && isFamily(r.family)) prefs[r.family] = { email: r.email, sms: r.sms };
  }
  return out;
}

export async function preferencesOfAccount(db: Kysely<any>, loginId: string): Promise<Preferences> {
  return (await preferencesOf(db, [loginId])).get(loginId)!;
}

/** Saves the families given; the others keep their value. */
export async function savePreferences(
  db: Kysely<any>,
  loginId: string,
  changes: readonly ({ family: NoticeFamily } & ChannelChoice)[],
  now: Date,
): Promise<void> {
  if (changes.length === 0) return;
  await (db as Kysely<NotificationTables>)
    .insertInto('notification_preference')
    .values(changes.map((c) => ({ login_id: loginId, family: c.family, email: c.email, sms: c.sms, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(['login_id', 'family']).doUpdateSet((eb) => ({
        email: eb.ref('excluded.email'),
        sms: eb.ref('excluded.sms'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Forgets an account's choices, when the account itself is deleted (a record destroyed). */
export async function forgetPreferences(db: Kysely<any>, loginId: string): Promise<void> {
  await (db as Kysely<NotificationTables>).deleteFrom('notification_preference').where('login_id', '=', loginId).execute();
}
