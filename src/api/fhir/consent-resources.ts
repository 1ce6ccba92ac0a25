/**
 * The patient's access settings (« Gestion du DMP »: who they blocked, whom they authorised, the
 * occupational doctor's consent for one consultation, the emergency switches) as FHIR R4
 * Consent resources (pure: no I/O). Each setting is one Consent of scope `patient-privacy`
 * (which FHIR R4 ties to a patient, invariant ppc-2) whose provision permits or denies an actor
 * `access` to the record. The policy rule is HL7 v3 `OPTIN` / `OPTOUT` where the patient said yes
 * or no; a care-team authorization (deemed, the patient informed and not objecting: arrêté of
 * 26 October 2023) has no v3 code and carries ours.
 */
import type { CodeableConcept, Coding, Consent, ConsentProvision } from '@medplum/fhirtypes';
import type { SharingSettings } from '../../access';
import { professionalIdentifier } from './audit-event-resources';
import { patientFhirId, VISIBILITY_SYSTEM } from './resources';

/** What kind of setting a Consent states: OpenDMP's own codes, beside FHIR's category. */
export const SHARING_SETTING_SYSTEM = 'https://opendmp.fr/fhir/CodeSystem/parametre-partage';
const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const PATIENT_PRIVACY: CodeableConcept = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] };
const LOINC_PATIENT_CONSENT: Coding = { system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' };
const ACCESS: CodeableConcept[] = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access', display: 'Access' }] }];
const RECIPIENT: CodeableConcept = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PRCP', display: 'primary information recipient' }] };
const OPT_IN: CodeableConcept = { coding: [{ system: V3_ACT_CODE, code: 'OPTIN', display: 'opt-in' }] };
const OPT_OUT: CodeableConcept = { coding: [{ system: V3_ACT_CODE, code: 'OPTOUT', display: 'opt-out' }] };
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

const SETTINGS = {
  block: 'Accès bloqué par le patient',
  consent: 'Autorisation d’accès donnée par le patient',
  careTeam: 'Membre de l’équipe de soins (patient informé, sans opposition)',
  occupational: 'Accord exprès du salarié au médecin du travail, pour une consultation',
  breakGlass: 'Accès en urgence (bris de glace)',
  samu: 'Accès par le médecin régulateur du SAMU',
} as const;
type Setting = keyof typeof SETTINGS;
const CODES: Record<Setting, string> = {
  block: 'blocage',
  consent: 'autorisation',
  careTeam: 'equipe-de-soins',
  occupational: 'medecine-du-travail',
  breakGlass: 'bris-de-glace',
  samu: 'samu',
};

export interface SharingFacts {
  recordId: string;
  settings: SharingSettings;
  emergency: { breakGlassAllowed: boolean; samuAllowed: boolean; maskedVisibleInEmergency: boolean };
  occupationalConsents: readonly { professionalId: string; consultationId: string; until: Date }[];
  treatingDoctorId: string | null;
  /** Professionals' names from the directory, by RPPS (a missing one is shown by number). */
  names: ReadonlyMap<string, string>;
}

export function sharingConsents(facts: SharingFacts): Consent[] {
  const { recordId } = facts;
  const actor = (rpps: string) => [{ role: RECIPIENT, reference: { identifier: professionalIdentifier(rpps), display: facts.names.get(rpps) ?? `RPPS ${rpps}` } }];
  const consent = (id: string, setting: Setting, fields: Omit<Consent, 'resourceType' | 'scope' | 'category' | 'patient' | 'id'>): Consent => ({
    resourceType: 'Consent',
    id: `${recordId}-${id}`,
    scope: PATIENT_PRIVACY,
    category: [{ coding: [LOINC_PATIENT_CONSENT, { system: SHARING_SETTING_SYSTEM, code: CODES[setting], display: SETTINGS[setting] }] }],
    patient: { reference: `Patient/${patientFhirId(recordId)}` },
    ...fields,
  });
  const blocks = facts.settings.blocks.map((b) =>
    consent(`blocage-${b.rpps}`, 'block', {
      // The médecin traitant cannot be blocked: a block left against them does not apply (the policy ignores it).
      status: b.rpps === facts.treatingDoctorId ? 'inactive' : 'active',
      dateTime: b.blockedAt.toISOString(),
      policyRule: OPT_OUT,
      provision: { type: 'deny', period: { start: b.blockedAt.toISOString() }, actor: actor(b.rpps), action: ACCESS },
    }),
  );
  const authorizations = facts.settings.authorizations.map((a) => {
    const setting: Setting = a.basis === 'care_team' ? 'careTeam' : 'consent';
    return consent(`autorisation-${a.rpps}`, setting, {
      status: a.revokedAt ? 'inactive' : 'active',
      dateTime: a.grantedAt.toISOString(),
      policyRule: setting === 'consent' ? OPT_IN : { coding: [{ system: SHARING_SETTING_SYSTEM, code: CODES.careTeam, display: SETTINGS.careTeam }] },
      provision: {
        type: 'permit',
        period: { start: a.grantedAt.toISOString(), ...(a.revokedAt ? { end: a.revokedAt.toISOString() } : {}) },
        actor: actor(a.rpps),
        action: ACCESS,
      },
    });
  });
  const occupational = facts.occupationalConsents.map((c, i) =>
    consent(`travail-${c.professionalId}-${i + 1}`, 'occupational', {
      status: 'active',
      policyRule: OPT_IN,
      provision: { type: 'permit', period: { end: c.until.toISOString() }, actor: actor(c.professionalId), action: ACCESS },
    }),
  );
  const { emergency } = facts;
  const emergencySwitch = (setting: 'breakGlass' | 'samu', allowed: boolean, purpose: Coding): Consent =>
    consent(CODES[setting], setting, {
      status: 'active',
      policyRule: allowed ? OPT_IN : OPT_OUT,
      provision: {
        type: allowed ? 'permit' : 'deny',
        action: ACCESS,
        purpose: [purpose],
        // Whether documents masked from professionals open in this emergency too.
        ...(allowed ? { provision: [maskedInEmergency(emergency.maskedVisibleInEmergency)] } : {}),
      },
    });
  return [
    ...blocks,
    ...authorizations,
    ...occupational,
    emergencySwitch('breakGlass', emergency.breakGlassAllowed, { system: ACT_REASON, code: 'BTG', display: 'break the glass' }),
    emergencySwitch('samu', emergency.samuAllowed, { system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' }),
  ];
}

function maskedInEmergency(visible: boolean): ConsentProvision {
  return { type: visible ? 'permit' : 'deny', securityLabel: [{ system: VISIBILITY_SYSTEM, code: 'MASQUE_PS', display: 'Masqué aux professionnels de santé' }] };
}
