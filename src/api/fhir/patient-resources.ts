/**
 * The patient of a DMP as a FHIR R4 Patient, for PDQm ITI-78 and the PDSm4DMP « TD0.2 » check
 * (pure: no I/O).
 *
 * PDSm4DMP (ANS IG-FHIR-PDSM4DMP-EEDS, input/pagecontent/transaction_td02.md, « Flux TD02 —
 * Réponse » and « Mapping des données de sortie »): the INS in `Patient.identifier`, the birth
 * name as the `official` name and the used name as the `usual` one, `gender`, `birthDate`; the
 * DMP's status in `Patient.active` (true = open, false = closed); the closure in the complex
 * extension `dmp-fermeture`; whether the asking professional is the « médecin traitant DMP » in
 * the extension `dmp-medecin-traitant`. The guide leaves the asking professional's access
 * authorisation (EF_DMP04_01) « hors scope, à mapper sur une ressource Consent (à préciser) »:
 * until it does, the policy's verdict for this professional travels in an OpenDMP extension.
 */
import type { Extension, Patient } from '@medplum/fhirtypes';
import type { Decision } from '../../access';
import type { InsuredPersonRecord } from '../../directory';
import { INS_OID } from '../../identity';
import { patientFhirId } from './resources';

/** The extensions PDSm4DMP names (TD02); their canonical base is the one of the guide's example. */
const DMP_EXTENSION_BASE = 'https://interop.esante.gouv.fr/ig/fhir/dmp/StructureDefinition';
export const CLOSURE_EXTENSION = `${DMP_EXTENSION_BASE}/dmp-fermeture`;
export const TREATING_DOCTOR_EXTENSION = `${DMP_EXTENSION_BASE}/dmp-medecin-traitant`;
/**
 * The asking professional's standing on the DMP as the access policy judges it (may they read
 * it, under which rule, and the policy's sentence), what GET /api/pro/records/:id answers the
 * professional space. Ours because PDSm4DMP names no element for it yet (see above).
 */
export const ACCESS_EXTENSION = 'https://opendmp.fr/fhir/StructureDefinition/dmp-acces-professionnel';
/** FHIR's own extension for the place of birth, as FR Core Patient uses it (the INSEE code in `district`). */
export const BIRTH_PLACE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
export const PDQM_PATIENT_PROFILE = 'https://profiles.ihe.net/ITI/PDQm/StructureDefinition/IHE.PDQm.Patient';

export interface DmpPatient {
  recordId: string;
  ins: { oid: string; matricule: string };
  status: 'active' | 'closed';
  closedAt: Date | null;
  /** The titulaire in the insured-persons directory; null when not to be told (or no longer held there). */
  person: Pick<InsuredPersonRecord, 'birthName' | 'firstNames' | 'usedName' | 'sex' | 'birthDate' | 'birthPlace'> | null;
  /** What the asking professional is to this DMP. */
  asker: { treatingDoctor: boolean; reading: Pick<Decision, 'allowed' | 'rule' | 'explanation'> };
}

const NIA_OIDS: ReadonlySet<string> = new Set([INS_OID.NIA, INS_OID.TEST_NIA]);

export function insIdentifierOf(ins: { oid: string; matricule: string }) {
  // FR Core Patient: an INS-NIR is the `official` identifier, an INS-NIA a temporary (`temp`) one.
  return { use: NIA_OIDS.has(ins.oid) ? ('temp' as const) : ('official' as const), system: `urn:oid:${ins.oid}`, value: ins.matricule };
}

export function dmpPatient(p: DmpPatient): Patient {
  const person = p.person;
  const extension: Extension[] = [];
  if (p.status === 'closed') {
    // The date alone: the DMP closes only at its titulaire's request here, and keeps no motive to tell.
    extension.push({ url: CLOSURE_EXTENSION, extension: p.closedAt ? [{ url: 'dateFermeture', valueDate: p.closedAt.toISOString().slice(0, 10) }] : [] });
  }
  extension.push({ url: TREATING_DOCTOR_EXTENSION, valueBoolean: p.asker.treatingDoctor });
  extension.push({
    url: ACCESS_EXTENSION,
    extension: [
      { url: 'lecture', valueBoolean: p.asker.reading.allowed },
      { url: 'regle', valueCode: p.asker.reading.rule },
      { url: 'explication', valueString: p.asker.reading.explanation },
    ],
  });
  if (person?.birthPlace) extension.push({ url: BIRTH_PLACE_EXTENSION, valueAddress: { district: person.birthPlace } });
  return {
    resourceType: 'Patient',
    id: patientFhirId(p.recordId),
    meta: { profile: [PDQM_PATIENT_PROFILE] },
    extension: extension.filter((e) => e.extension === undefined || e.extension.length > 0),
    identifier: [insIdentifierOf(p.ins)],
    active: p.status === 'active',
    ...(person
      ? {
          name: [
            // FR Core: the birth name with the first names of the civil status, as one given name.
            { use: 'official' as const, family: person.birthName, given: [person.firstNames] },
            ...(person.usedName ? [{ use: 'usual' as const, family: person.usedName }] : []),
          ],
          gender: person.sex === 'F' ? ('female' as const) : ('male' as const),
          birthDate: person.birthDate,
        }
      : {}),
  };
}
