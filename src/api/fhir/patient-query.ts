/**
 * What a PDQm ITI-78 search asks (pure: no I/O). IHE PDQm 3.x, ITI-78 §2:3.78.4.1.2: a FHIR
 * search on Patient, by GET or POST `_search`; `identifier` is a token, OR-lists with commas,
 * AND with the parameter repeated (§2:3.78.4.1.2.1).
 *
 * The DMP finds a patient by INS only: PDQm lets a supplier choose the parameters it supports,
 * and a search by name, birth date or any other trait is exactly what the DMP must never answer
 * (a record is filed under an INS; traits only confirm it). Such a parameter is refused with a
 * 400 naming it, rather than ignored as FHIR allows: ignoring `family` would answer a wider
 * search than the one the software believes it made.
 */
import { AppError, badRequest } from '../../platform';
import { INS_SYSTEMS } from './door';

export type SearchParams = Record<string, unknown>;

/** `system` null: the value under any INS OID (a token without `|`); '' : explicitly without system. */
export interface InsToken {
  system: string | null;
  matricule: string;
}

export interface PatientCriteria {
  /** Each group is an OR-list; a patient must match one token of every group (AND). */
  identifierGroups: InsToken[][];
  /** `_id` values (the DMP's id), OR-ed; null when not asked. */
  ids: string[] | null;
}

export type PatientQuery = { ok: true; criteria: PatientCriteria } | { ok: false; unknownSystem: string };

const ACCEPTED = new Set(['identifier', '_id', '_format', '_count']);
const FHIR_JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);
/** A request names one patient, or a few: more tokens than this is not a lookup any more. */
const MAX_TOKENS = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const values = (v: unknown): string[] => [v ?? []].flat().map(String);

export function readPatientQuery(params: SearchParams): PatientQuery {
  const refused = Object.keys(params).filter((name) => !ACCEPTED.has(name));
  if (refused.length) {
    throw new AppError(
      400,
      'not-supported',
      'Paramètre non pris en charge',
      `Le DMP ne cherche un patient que par son INS (identifier) : ${refused.map((n) => `le paramètre « ${n} »`).join(', ')} ${refused.length > 1 ? 'ne sont pas acceptés' : 'n’est pas accepté'}. Aucune recherche par nom ni par trait d’identité n’est possible.`,
    );
  }
  const format = values(params._format)[0];
  if (format !== undefined && !FHIR_JSON_FORMATS.has(format.split(';')[0]!.trim())) {
    // PDQm ITI-78 §2:3.78.4.1.3, case 5.
    throw new AppError(406, 'not-acceptable', 'Format non pris en charge', 'Ce serveur répond en JSON FHIR (_format=json) uniquement.');
  }
  const groups = values(params.identifier).map((param) => param.split(',').filter((t) => t !== ''));
  if (groups.flat().length > MAX_TOKENS) throw badRequest(`Une recherche de patient désigne au plus ${MAX_TOKENS} INS.`);
  const identifierGroups: InsToken[][] = [];
  for (const group of groups) {
    const tokens: InsToken[] = [];
    for (const token of group) {
      const bar = token.indexOf('|');
      const system = bar < 0 ? null : token.slice(0, bar);
      const matricule = (bar < 0 ? token : token.slice(bar + 1)).trim().toUpperCase();
      // PDQm case 4: a domain this server is not the authority for (preferred answer: 404).
      if (system && !INS_SYSTEMS.has(system)) return { ok: false, unknownSystem: system };
      // `urn:oid:…|` alone names the domains whose identifiers to return (§2:3.78.4.1.2.3): only INS here.
      if (matricule !== '') tokens.push({ system, matricule });
    }
    if (tokens.length) identifierGroups.push(tokens);
  }
  const idValues = values(params._id).flatMap((v) => v.split(',')).filter((v) => v !== '');
  if (!identifierGroups.length && !idValues.length) {
    throw new AppError(400, 'invalid-request', 'Demande incorrecte', 'Indiquez l’INS du patient : identifier=urn:oid:1.2.250.1.213.1.4.8|<matricule INS> (ou l’OID du NIA, ou les OID de test).', [
      { field: 'identifier', message: 'Le paramètre identifier (INS du patient) est obligatoire.' },
    ]);
  }
  if (idValues.length > MAX_TOKENS) throw badRequest(`Une recherche de patient désigne au plus ${MAX_TOKENS} identifiants.`);
  return { ok: true, criteria: { identifierGroups, ids: idValues.length ? idValues.map((v) => v.toLowerCase()) : null } };
}

/** Whether a DMP filed under this INS (and with this id) answers every criterion. */
export function matchesCriteria(criteria: PatientCriteria, record: { recordId: string; insOid: string; insMatricule: string }): boolean {
  const system = `urn:oid:${record.insOid}`;
  const tokenMatches = (t: InsToken) => t.matricule === record.insMatricule && (t.system === null || t.system === system);
  return criteria.identifierGroups.every((group) => group.some(tokenMatches)) && (criteria.ids === null || criteria.ids.includes(record.recordId));
}

/** The INS matricules and DMP ids worth looking up: those of one group suffice (every group must match). */
export function candidates(criteria: PatientCriteria): { matricules: string[]; ids: string[] } {
  const first = criteria.identifierGroups[0];
  if (first) return { matricules: [...new Set(first.map((t) => t.matricule))], ids: [] };
  return { matricules: [], ids: (criteria.ids ?? []).filter((id) => UUID.test(id)) };
}
