/**
 * The CapabilityStatement of the FHIR door: what this server does, as practice software reads
 * it before calling (FHIR R4 "capabilities" interaction, GET /fhir/metadata).
 */
import { FHIR_JSON, FHIR_VERSION } from './resources';

export function capabilityStatement(baseUrl: string, now: Date) {
  return {
    resourceType: 'CapabilityStatement' as const,
    status: 'active',
    date: now.toISOString().slice(0, 10),
    publisher: 'OpenDMP',
    kind: 'instance',
    instantiates: [
      'https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentResponder',
      'https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentRecipient',
    ],
    implementation: { description: 'OpenDMP : API FHIR des documents (IHE MHD) pour les logiciels des professionnels', url: baseUrl },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Authentification : Authorization: Bearer <jeton d’accès Pro Santé Connect>. Chaque demande est décidée par la politique d’accès du DMP et tracée.',
        resource: [
          {
            type: 'DocumentReference',
            interaction: [{ code: 'search-type' }],
            searchParam: [
              { name: 'patient.identifier', type: 'token', documentation: 'INS : urn:oid:<OID INS>|<matricule>. Obligatoire.' },
              { name: 'status', type: 'token', documentation: 'current, superseded (plusieurs valeurs séparées par des virgules).' },
              { name: 'category', type: 'token' },
              { name: 'type', type: 'token' },
              { name: 'period', type: 'date', documentation: 'Date des soins : ge/le/eq AAAA-MM-JJ.' },
              { name: '_count', type: 'number' },
              { name: '_offset', type: 'number' },
            ],
          },
          { type: 'Binary', interaction: [{ code: 'read' }] },
        ],
        interaction: [{ code: 'transaction', documentation: 'ITI-65 Provide Document Bundle : un List (lot de soumission), un DocumentReference, un Binary.' }],
      },
    ],
  };
}
