/**
 * The codes practice software sends with a document (pure): the confidentiality and DMP
 * visibility labels, codings kept as "system|code", and the professional an author names.
 * Read on the way in only: how the door writes them back is resources.ts.
 */
import type { Confidentiality } from '../../documents';

export interface CodingLike {
  system?: string | undefined;
  code?: string | undefined;
}
export interface CodeableLike {
  coding?: CodingLike[] | undefined;
}

/** A CodeableConcept as stored: its first coding with both a system and a code, "system|code". */
export function codingKey(concept: CodeableLike | undefined): string | null {
  const coding = concept?.coding?.find((c) => c.system && c.code);
  return coding ? `${coding.system}|${coding.code}` : null;
}

// ---- securityLabel: JDV_J08-XdsConfidentialityCode-CISIS ----

/**
 * HL7 v3 Confidentiality (N, R, V), by its FHIR URL or its OID (2.16.840.1.113883.5.25, the
 * codeSystem of JDV_J08 and of a CDA's confidentialityCode).
 */
const CONFIDENTIALITY_SYSTEMS = new Set(['http://terminology.hl7.org/CodeSystem/v3-Confidentiality', 'urn:oid:2.16.840.1.113883.5.25']);
const CONFIDENTIALITY_CODES: ReadonlySet<string> = new Set(['N', 'R', 'V']);

/**
 * TRE_A07-StatutVisibiliteDocument (OID 1.2.250.1.213.1.1.4.13), the DMP's visibility codes
 * in JDV_J08: its FHIR URL as PDSm4DMP (TD3.3a) and our answers write it, the spelling of
 * PDSm's own example (TRE_A07-StatusVisibiliteDocument), and its OID.
 */
const VISIBILITY_SYSTEMS = new Set([
  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument',
  'https://mos.esante.gouv.fr/NOS/TRE_A07-StatusVisibiliteDocument/FHIR/TRE-A07-StatusVisibiliteDocument',
  'urn:oid:1.2.250.1.213.1.1.4.13',
]);

export type VisibilityFlag = 'masked' | 'hiddenFromPatient' | 'hiddenFromRepresentatives';

/**
 * The codes of JDV_J08 (value set 1.2.250.1.213.1.1.5.463, shared/reference/value-sets): the
 * representatives' code is INVISIBLE_REPRESENTANTS_LEGAUX, as a CDA's confidentialityCode
 * writes it too (documents/deposit.ts).
 */
const VISIBILITY_CODES: Record<string, VisibilityFlag> = {
  MASQUE_PS: 'masked',
  INVISIBLE_PATIENT: 'hiddenFromPatient',
  INVISIBLE_REPRESENTANTS_LEGAUX: 'hiddenFromRepresentatives',
};

export interface ReadLabels {
  confidentiality: Confidentiality | undefined;
  flags: Record<VisibilityFlag, boolean>;
}

/** What a DocumentReference's securityLabel says; a label of another system is not ours to read. */
export function readSecurityLabels(labels: CodeableLike[]): { ok: true; labels: ReadLabels } | { ok: false; index: number; message: string } {
  const flags: Record<VisibilityFlag, boolean> = { masked: false, hiddenFromPatient: false, hiddenFromRepresentatives: false };
  let confidentiality: Confidentiality | undefined;
  for (const [index, label] of labels.entries()) {
    for (const coding of label.coding ?? []) {
      const code = coding.code ?? '';
      if (coding.system && CONFIDENTIALITY_SYSTEMS.has(coding.system)) {
        if (!CONFIDENTIALITY_CODES.has(code)) return { ok: false, index, message: `Niveau de confidentialité inconnu : « ${code} » (N, R ou V).` };
        if (confidentiality && confidentiality !== code) return { ok: false, index, message: 'Un document n’a qu’un niveau de confidentialité (N, R ou V).' };
        confidentiality = code as Confidentiality;
      } else if (coding.system && VISIBILITY_SYSTEMS.has(coding.system)) {
        const flag = VISIBILITY_CODES[code];
        if (!flag) return { ok: false, index, message: `Statut de visibilité inconnu : « ${code} » (MASQUE_PS, INVISIBLE_PATIENT ou INVISIBLE_REPRESENTANTS_LEGAUX).` };
        flags[flag] = true;
      }
    }
  }
  return { ok: true, labels: { confidentiality, flags } };
}

// ---- The professional an author names ----

/**
 * The national identifier of a health professional (PDSm4DMP PSIdNat, XCN with assigning
 * authority 1.2.250.1.71.4.2.1): "8" + the RPPS number; FR Core also names the RPPS itself
 * under https://rpps.esante.gouv.fr.
 */
export const IDNAT_PS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
export const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';

/** The RPPS number an identifier names, or null when it names none (another kind of idNat, another system). */
export function rppsOf(identifier: { system?: string | undefined; value?: string | undefined }): string | null {
  const value = identifier.value?.trim() ?? '';
  if (identifier.system === IDNAT_PS_SYSTEM) return /^8\d{11}$/.test(value) ? value.slice(1) : null;
  if (identifier.system === RPPS_SYSTEM) return /^\d{11}$/.test(value) ? value : null;
  return null;
}

/** Whether an identifier is a professional's national one at all (an idNat of any kind, an RPPS). */
export const isProfessionalIdentifier = (identifier: { system?: string | undefined }) =>
  identifier.system === IDNAT_PS_SYSTEM || identifier.system === RPPS_SYSTEM;
