/**
 * Who a signed-in health professional is, as the rest of the service sees them
 * (`request.professional`): built from the identity provider's claims and our copy of the
 * RPPS directory. Pure functions: no I/O.
 */
import { parseRpps } from '../identity';
import type { DirectoryProfessional } from '../directory';

export type { DirectoryProfessional };

export interface Professional {
  /** 11 digits, the last one a Luhn key. */
  rpps: string;
  firstName: string;
  /** In capitals, as the RPPS writes it. */
  lastName: string;
  /** « Claire MARTIN ». */
  name: string;
  /** JDV_J01 profession code (G15_10 médecin, G15_21 pharmacien…): what the access matrix reads. */
  profession: string;
  /** Specialty code without the profession prefix (SM54, SM25…), or null. */
  specialty: string | null;
  role: 'samu_regulator' | null;
  workplace: { name: string; finess: string | null };
}


/** What the identity provider says of the professional, when it says it. */
export interface ProviderIdentity {
  rpps: string;
  profession?: string;
  specialty?: string;
  workplace?: { name: string; finess: string | null };
}

/**
 * Reads a Pro Santé Connect identity from ID token, userinfo or introspection claims.
 * PSC names the professional by their national identifier `SubjectNameID` (also in
 * `preferred_username`): « 8 » followed by the RPPS for professionals registered in the RPPS.
 * A bare 11-digit RPPS in `sub` is accepted too. The exercise (profession, specialty) and the
 * place of activity come from `SubjectRefPro`; the first ones are taken.
 */
export function identityFromClaims(claims: Record<string, unknown>): ProviderIdentity | null {
  const rpps = [claims.SubjectNameID, claims.preferred_username, claims.sub].map(rppsOf).find((r) => r !== null);
  if (!rpps) return null;
  const exercise = firstObject(objectOf(claims.SubjectRefPro)?.exercices);
  const activity = firstObject(exercise?.activities);
  const professionNumber = textOf(exercise?.codeProfession);
  const specialty = textOf(exercise?.codeSavoirFaire);
  const workplaceName = textOf(activity?.raisonSocialeSite) ?? textOf(activity?.enseigneCommercialeSite);
  return {
    rpps,
    ...(professionNumber && /^\d{1,3}$/.test(professionNumber) ? { profession: `G15_${professionNumber}` } : {}),
    ...(specialty ? { specialty } : {}),
    ...(workplaceName ? { workplace: { name: workplaceName, finess: textOf(activity?.numeroFinessSite) ?? null } } : {}),
  };
}

/**
 * The professional as the service sees them: who they are and what they do today comes from the
 * identity provider when it says so (it reads the RPPS live); the role (SAMU médecin régulateur)
 * and anything the provider leaves out come from our directory.
 */
export function toProfessional(row: DirectoryProfessional, provider: ProviderIdentity | null): Professional {
  if (provider && provider.rpps !== row.rpps) throw new Error('the provider identity and the directory row differ');
  const profession = provider?.profession ?? row.professionCode;
  // A specialty belongs to a profession: the directory's one only goes with the directory's profession.
  const specialty = provider?.specialty ?? (profession === row.professionCode ? row.specialtyCode : null);
  return {
    rpps: row.rpps,
    firstName: row.firstName,
    lastName: row.lastName,
    name: `${row.firstName} ${row.lastName}`,
    profession,
    specialty,
    role: row.role === 'samu_regulator' ? 'samu_regulator' : null,
    workplace: provider?.workplace ?? { name: row.workplaceName, finess: row.workplaceFiness },
  };
}

/** The claims the development provider issues, shaped as Pro Santé Connect's (dev-provider.ts). */
export function pscClaims(row: DirectoryProfessional): Record<string, unknown> {
  return {
    SubjectNameID: `8${row.rpps}`,
    given_name: row.firstName,
    family_name: row.lastName,
    SubjectRefPro: {
      exercices: [
        {
          codeProfession: row.professionCode.replace(/^G15_/, ''),
          codeSavoirFaire: row.specialtyCode ?? '',
          prenomDexercice: row.firstName,
          nomDexercice: row.lastName,
          activities: [{ raisonSocialeSite: row.workplaceName, numeroFinessSite: row.workplaceFiness ?? '' }],
        },
      ],
    },
  };
}

function rppsOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const digits = /^8\d{11}$/.test(value) ? value.slice(1) : value;
  if (!/^\d{11}$/.test(digits)) return null;
  const parsed = parseRpps(digits);
  return parsed.ok ? parsed.rpps : null;
}

function objectOf(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function firstObject(value: unknown): Record<string, unknown> | null {
  return Array.isArray(value) ? objectOf(value[0]) : null;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
