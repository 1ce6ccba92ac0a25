/**
 * The CapabilityStatement of the FHIR door: what this server does, as practice software reads
 * it before calling (FHIR R4 "capabilities" interaction, GET /fhir/metadata).
 */
import type { IssuerEndpoints } from '../../accounts';
import { FHIR_JSON, FHIR_VERSION } from './resources';

export function capabilityStatement(baseUrl: string, now: Date, oauth: IssuerEndpoints | null) {
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
        security: restSecurity(baseUrl, oauth),
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

/**
 * How software gets its access token (FHIR R4 CapabilityStatement.rest.security): OAuth 2.0 with
 * Pro Santé Connect, its endpoints in the `oauth-uris` extension of SMART App Launch 1.0
 * ("Declaring support for OAuth2 endpoints", read by FHIR clients that discover the server), and
 * `cors: false` as the PDSm CapabilityStatements write it (the door serves software, not pages).
 * Without the endpoints (provider unreachable), the rest still says how to authenticate.
 */
function restSecurity(baseUrl: string, oauth: IssuerEndpoints | null) {
  const uris = oauth
    ? [
        { url: 'authorize', valueUri: oauth.authorization },
        { url: 'token', valueUri: oauth.token },
        ...(oauth.revocation ? [{ url: 'revoke', valueUri: oauth.revocation }] : []),
        ...(oauth.introspection ? [{ url: 'introspect', valueUri: oauth.introspection }] : []),
      ]
    : [];
  return {
    ...(uris.length ? { extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: uris }] } : {}),
    cors: false,
    service: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth', display: 'OAuth' }],
        text: 'Pro Santé Connect (OAuth 2.0, OpenID Connect)',
      },
    ],
    description:
      'Chaque logiciel est un client OAuth enregistré auprès du DMP. Le professionnel se connecte à Pro Santé Connect depuis son logiciel ' +
      '(code d’autorisation avec PKCE, jeton de rafraîchissement) ; le jeton d’accès, destiné à ' +
      `${baseUrl}, est envoyé dans l’en-tête Authorization: Bearer <jeton> (RFC 6750).`,
  };
}
