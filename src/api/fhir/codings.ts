/**
 * The code systems a DMP document's metadata uses, as FHIR writes them (pure). The ANS
 * nomenclatures have two names each, a FHIR URL (https://mos.esante.gouv.fr/NOS/…) and the OID the
 * XDS metadata used (PDSm, "Equivalences" of the ANS guides): software may send either, so a search
 * accepts both, and a code is displayed with the value set's own text when it is one we hold.
 */
import type { Coding } from '@medplum/fhirtypes';
import type { CodeMatch } from '../../documents';
import valueSets from './sharing-value-sets.json' with { type: 'json' };

const NOS = (name: string, fhirName = name.replace('_', '-')) => `https://mos.esante.gouv.fr/NOS/${name}/FHIR/${fhirName}`;

/** TRE_A03 (XDS classCode, the French document classes), what PDSm puts in DocumentReference.category. */
export const CLASS_SYSTEM = NOS('TRE_A03-ClasseDocument');
/** HL7 v3 Confidentiality (N, R, V): the XDS confidentialityCode (JDV_J08). */
export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
/** ANS TRE_A07 (visibility of a DMP document): the DMP's own confidentiality codes 1.2.250.1.213.1.1.4.13. */
export const VISIBILITY_SYSTEM = NOS('TRE_A07-StatutVisibiliteDocument');
/** TRE_G15 (professions) and TRE_R38 (specialties of the Ordre), as the directory of professionals codes them. */
export const PROFESSION_SYSTEM = NOS('TRE_G15-ProfessionSante');
export const SPECIALTY_SYSTEM = NOS('TRE_R38-SpecialiteOrdinale');
/** JDV_J01 authorSpecialty (XDS): "G15_10/SM54", for specialties outside TRE_R38 (DES, capacities…). */
export const AUTHOR_SPECIALTY_OID = '1.2.250.1.213.1.1.4.5';
/** HL7 France identifier types (fr-core-cs-v2-0203): IDNPS, RPPS, IDNST. */
export const IDENTIFIER_TYPE_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';
/** The national identifiers of professionals (IdNatPs, "8" + RPPS) and of organisations (IdNatStruct, "1" + FINESS). */
export const IDNPS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
export const IDNST_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.2';
export const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';
/** IHE format codes: every DMP document is served in its own media type (MHD: mimeTypeSufficient). */
export const FORMAT_SYSTEM = 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode';
export const FORMAT_OID = '1.3.6.1.4.1.19376.1.2.3';
export const MIME_TYPE_SUFFICIENT = 'urn:ihe:iti:xds:2017:mimeTypeSufficient';

/** Each known system under its names: FHIR URL(s) first, then its OID. */
const SYSTEMS: { names: string[]; oid: string }[] = [
  { names: [CLASS_SYSTEM], oid: '1.2.250.1.213.1.1.4.1' },
  { names: [NOS('TRE_R02-SecteurActivite')], oid: '1.2.250.1.71.4.2.4' },
  { names: [NOS('TRE_A00-ProducteurDocNonPS')], oid: '1.2.250.1.213.1.1.4.6' },
  { names: [NOS('TRE_A01-CadreExercice')], oid: '1.2.250.1.213.1.1.4.9' },
  // The PDSm examples also write "StatusVisibilite": the same nomenclature.
  { names: [VISIBILITY_SYSTEM, NOS('TRE_A07-StatusVisibiliteDocument')], oid: '1.2.250.1.213.1.1.4.13' },
  { names: [CONFIDENTIALITY_SYSTEM], oid: '2.16.840.1.113883.5.25' },
  { names: ['http://loinc.org'], oid: '2.16.840.1.113883.6.1' },
  { names: ['http://snomed.info/sct'], oid: '2.16.840.1.113883.6.96' },
  { names: ['http://hl7.org/fhir/sid/icd-10'], oid: '2.16.840.1.113883.6.3' },
  { names: [FORMAT_SYSTEM, NOS('TRE_A11-IheFormatCode')], oid: FORMAT_OID },
];

/** Every way of writing this system (itself included), so that a search by one finds what was sent in another. */
export function systemNames(system: string): string[] {
  const known = SYSTEMS.find((s) => s.names.includes(system) || `urn:oid:${s.oid}` === system);
  return known ? [...known.names, `urn:oid:${known.oid}`] : [system];
}

/** A coded value asked for, under each name of its system. */
export function withSystemNames(match: CodeMatch): CodeMatch[] {
  if (match.system === undefined) return [match];
  return systemNames(match.system).map((system) => (match.code === undefined ? { system } : { system, code: match.code }));
}

function oidOf(system: string): string | undefined {
  if (system.startsWith('urn:oid:')) return system.slice('urn:oid:'.length);
  return SYSTEMS.find((s) => s.names.includes(system))?.oid;
}

type ValueSetName = keyof typeof valueSets.valueSets;
const DISPLAYS = new Map<string, string>();
for (const [name, set] of Object.entries(valueSets.valueSets)) {
  for (const c of set.concepts) DISPLAYS.set(`${name}|${c.codeSystem}|${c.code}`, c.displayName);
}

/** The value set's text of a code, when it is one of its concepts. */
export function displayOf(valueSet: ValueSetName, system: string, code: string): string | undefined {
  const oid = oidOf(system);
  return oid ? DISPLAYS.get(`${valueSet}|${oid}|${code}`) : undefined;
}

/** A code kept as "system|code" (the system as sent), as a coding; with the value set's display when known. */
export function storedCoding(stored: string, valueSet?: ValueSetName): Coding {
  const bar = stored.indexOf('|');
  const system = bar < 0 ? undefined : stored.slice(0, bar);
  const code = bar < 0 ? stored : stored.slice(bar + 1);
  const display = system && valueSet ? displayOf(valueSet, system, code) : undefined;
  return { ...(system ? { system } : {}), code, ...(display ? { display } : {}) };
}
