/**
 * The CapabilityStatement of the FHIR door: what this server does, as practice software reads
 * it before calling (FHIR R4 "capabilities" interaction, GET /fhir/metadata; MHD ITI-67/66/68
 * "CapabilityStatement Resource", ITI TF-2x Appendix Z.3). It says only what works: the tests
 * run a search with every parameter declared here (test/fhir-search.test.ts).
 */
import type { IssuerEndpoints } from '../../accounts';
import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceSearchParam } from '@medplum/fhirtypes';
import { DOCUMENT_SEARCH_PARAMS } from './document-search';
import { LIST_SEARCH_PARAMS } from './list-responder';
import { FHIR_JSON, FHIR_VERSION, PDSM_DOCUMENT_REFERENCE, PDSM_SUBMISSION_SET } from './resources';
import { MAX_COUNT } from './search-params';

type Param = CapabilityStatementRestResourceSearchParam;
const FHIR_SP = 'http://hl7.org/fhir/SearchParameter/';
const MHD_SP = 'https://profiles.ihe.net/ITI/MHD/SearchParameter/';

const DOCUMENT_PARAMS: Record<(typeof DOCUMENT_SEARCH_PARAMS)[number], Omit<Param, 'name'>> = {
  patient: { type: 'reference', definition: `${FHIR_SP}clinical-patient`, documentation: 'Patient/<id> (l’id du Patient du DMP).' },
  'patient.identifier': {
    type: 'token',
    documentation:
      'INS : urn:oid:1.2.250.1.213.1.4.8|<matricule> (ou l’OID de test / du NIA). patient ou patient.identifier est obligatoire. Un INS sans DMP donne un Bundle vide (200) avec un avertissement (OperationOutcome) : MHD ITI-67 répond 200 « que des documents soient trouvés ou non », et PDSm4DMP vérifie l’existence du DMP par TD0.2 (ITI-78).',
  },
  status: { type: 'token', definition: `${FHIR_SP}DocumentReference-status`, documentation: 'current, superseded (liste séparée par des virgules). Absent : les deux.' },
  identifier: { type: 'token', definition: `${FHIR_SP}clinical-identifier`, documentation: 'urn:ietf:rfc:3986|<uniqueId> (masterIdentifier), ou l’id du DocumentReference (PDSm4DMP TD3.1b).' },
  _id: { type: 'token', definition: `${FHIR_SP}Resource-id` },
  date: { type: 'date', definition: `${FHIR_SP}DocumentReference-date`, documentation: 'Date d’enregistrement ; préfixes eq ne gt lt ge le sa eb ap.' },
  creation: { type: 'date', definition: `${MHD_SP}DocumentReference-Creation`, documentation: 'attachment.creation (la date d’enregistrement) ; mêmes préfixes.' },
  'author.given': { type: 'string', documentation: 'Prénom de l’auteur (commence par, sans casse ni accents ; :exact, :contains).' },
  'author.family': { type: 'string', documentation: 'Nom de l’auteur (commence par, sans casse ni accents ; :exact, :contains).' },
  category: {
    type: 'token',
    definition: `${FHIR_SP}DocumentReference-category`,
    documentation: 'Classe XDS TRE_A03 (https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument ou urn:oid:1.2.250.1.213.1.1.4.1), ou catégorie OpenDMP (https://opendmp.fr/fhir/CodeSystem/categorie-document).',
  },
  type: { type: 'token', definition: `${FHIR_SP}clinical-type`, documentation: 'Type de document (JDV_J07, LOINC par http://loinc.org ou son OID).' },
  setting: { type: 'token', definition: `${FHIR_SP}DocumentReference-setting`, documentation: 'Cadre d’exercice (practiceSetting, JDV_J04).' },
  period: { type: 'date', definition: `${FHIR_SP}DocumentReference-period`, documentation: 'Date des soins ; préfixes eq ne gt lt ge le sa eb ap.' },
  facility: { type: 'token', definition: `${FHIR_SP}DocumentReference-facility`, documentation: 'Secteur d’activité (facilityType, JDV_J02).' },
  event: { type: 'token', definition: `${FHIR_SP}DocumentReference-event`, documentation: 'Actes et pathologies (eventCodeList).' },
  'security-label': {
    type: 'token',
    definition: `${FHIR_SP}DocumentReference-security-label`,
    documentation: 'Confidentialité N, R, V (v3-Confidentiality) ou étiquettes du DMP MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX (TRE_A07).',
  },
  format: { type: 'token', definition: `${FHIR_SP}DocumentReference-format`, documentation: 'urn:ihe:iti:xds:2017:mimeTypeSufficient : chaque document est fourni dans son propre type de contenu.' },
  related: {
    type: 'reference',
    definition: `${FHIR_SP}DocumentReference-related`,
    documentation: 'DocumentReference/<id> : la version qui remplace celle-ci. Le DMP ne conserve pas de referenceIdList ; l’association qu’il garde est le remplacement (relatesTo).',
  },
  relatesto: { type: 'reference', definition: `${FHIR_SP}DocumentReference-relatesto`, documentation: 'DocumentReference/<id> : la version qui remplace celle-ci (relatesTo.target).' },
};

const LIST_PARAMS: Record<(typeof LIST_SEARCH_PARAMS)[number], Omit<Param, 'name'>> = {
  patient: { type: 'reference', definition: `${FHIR_SP}clinical-patient` },
  'patient.identifier': { type: 'token', documentation: 'INS du patient, comme pour DocumentReference.' },
  code: { type: 'token', definition: `${FHIR_SP}clinical-code`, documentation: 'submissionset (le DMP ne tient pas de classeurs : folder ne trouve rien).' },
  status: { type: 'token', definition: `${FHIR_SP}List-status`, documentation: 'current.' },
  identifier: { type: 'token', definition: `${FHIR_SP}clinical-identifier`, documentation: 'uniqueId ou entryUUID (urn:uuid:…) du lot.' },
  _id: { type: 'token', definition: `${FHIR_SP}Resource-id` },
  date: { type: 'date', definition: `${FHIR_SP}clinical-date`, documentation: 'Date de soumission ; préfixes eq ne gt lt ge le sa eb ap.' },
  designationType: { type: 'token', definition: `${MHD_SP}List-DesignationType`, documentation: 'contentTypeCode du lot.' },
  sourceId: { type: 'token', definition: `${MHD_SP}List-SourceId`, documentation: 'OID du système émetteur.' },
  'source.given': { type: 'string', documentation: 'Dans le nom de l’auteur du lot.' },
  'source.family': { type: 'string', documentation: 'Dans le nom de l’auteur du lot.' },
};

const CONTROL: Param[] = [
  { name: '_count', type: 'number', documentation: `Au plus ${MAX_COUNT} par page (un nombre plus grand est ramené à ${MAX_COUNT}) ; liens next / previous dans le Bundle.` },
  { name: '_offset', type: 'number', documentation: 'Position dans les résultats (les liens next / previous la portent).' },
];

const params = (table: Record<string, Omit<Param, 'name'>>): Param[] => Object.entries(table).map(([name, p]) => ({ name, ...p }));

const SEARCH_DOCUMENTATION =
  'GET, ou POST …/_search avec les paramètres en formulaire (application/x-www-form-urlencoded). Listes OU séparées par des virgules ; un paramètre répété vaut ET. Un paramètre inconnu est ignoré (et signalé dans le Bundle), refusé avec Prefer: handling=strict. Chaque recherche est décidée par la politique d’accès et tracée ; elle ne montre jamais un document que le professionnel ne peut pas voir.';

/** How the history and the access settings are asked for: by the patient's INS, or the Patient's id. */
const BY_PATIENT = [
  { name: 'patient.identifier', type: 'token', documentation: 'INS : urn:oid:<OID INS>|<matricule>. Ou patient.' },
  { name: 'patient', type: 'reference', documentation: 'Patient/<id> (l’id rendu par ITI-78).' },
] as const;

export function capabilityResources(): CapabilityStatementRestResource[] {
  return [
    {
      type: 'DocumentReference',
      supportedProfile: [PDSM_DOCUMENT_REFERENCE],
      interaction: [
        { code: 'read', documentation: 'meta.versionId et ETag W/"<versionId>" ; If-None-Match donne 304.' },
        { code: 'search-type', documentation: `ITI-67. ${SEARCH_DOCUMENTATION}` },
        { code: 'patch', documentation: 'JSON Patch (application/json-patch+json) de status et securityLabel (PDSm4DMP TD3.3), par id ou par identifier + patient.identifier, décidé par la politique d’accès.' },
      ],
      searchParam: [...params(DOCUMENT_PARAMS), ...CONTROL, { name: '_sort', type: 'special', documentation: 'date, -date, creation, -creation, period, -period (par défaut : -period).' }],
    },
    {
      type: 'List',
      supportedProfile: [PDSM_SUBMISSION_SET],
      interaction: [
        { code: 'read', documentation: 'Un lot de soumission et les documents que le professionnel peut voir.' },
        { code: 'search-type', documentation: `ITI-66. ${SEARCH_DOCUMENTATION}` },
      ],
      searchParam: [...params(LIST_PARAMS), ...CONTROL],
    },
    {
      type: 'Binary',
      interaction: [
        {
          code: 'read',
          documentation: `ITI-68 : Accept du type du document (ou */*) : le document lui-même ; Accept: ${FHIR_JSON} (ou _format=json) : une ressource Binary ; autre : 406.`,
        },
      ],
    },
    {
      // PDQm ITI-78 by INS only (and PDSm4DMP TD0.2): not the PDQm Supplier statement, whose name searches the DMP refuses.
      type: 'Patient',
      profile: 'https://profiles.ihe.net/ITI/PDQm/StructureDefinition/IHE.PDQm.Patient',
      documentation:
        'ITI-78 (PDQm) et TD0.2 (PDSm4DMP) : le patient par son INS, l’état de son DMP (active, extension dmp-fermeture), médecin traitant ou non (dmp-medecin-traitant). GET ou POST _search (application/x-www-form-urlencoded). Jamais de recherche par nom : tout autre paramètre est refusé (400).',
      interaction: [{ code: 'read' }, { code: 'search-type' }],
      searchParam: [
        { name: 'identifier', type: 'token', documentation: 'INS : urn:oid:1.2.250.1.213.1.4.8|<NIR> (NIA : …4.9 ; OID de test : …4.10, …4.11). Un INS sans DMP : Bundle vide.' },
        { name: '_id', type: 'token', documentation: 'L’identifiant du Patient (celui du DMP).' },
      ],
    },
    {
      type: 'AuditEvent',
      documentation: 'L’historique des accès au DMP, pour qui la politique d’accès le permet (parmi les professionnels : le médecin traitant). Le plus récent d’abord.',
      interaction: [{ code: 'search-type' }],
      searchParam: [
        ...BY_PATIENT,
        { name: 'date', type: 'date', documentation: 'ge/le/gt/lt/eq AAAA-MM-JJ ou un instant ; plusieurs valeurs se combinent.' },
        { name: '_count', type: 'number', documentation: 'Au plus 200 par page (une valeur plus grande est ramenée à 200) ; la page suivante par le lien next.' },
      ],
    },
    {
      type: 'Consent',
      documentation: 'Les réglages d’accès du DMP (blocages, autorisations, accès en urgence, médecine du travail), pour qui la politique d’accès laisse lire l’historique (le médecin traitant).',
      interaction: [{ code: 'search-type' }],
      searchParam: [
        ...BY_PATIENT,
      ],
    },
  ];
}

export function capabilityStatement(baseUrl: string, now: Date, oauth: IssuerEndpoints | null) {
  const statement: CapabilityStatement = {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now.toISOString().slice(0, 10),
    publisher: 'OpenDMP',
    kind: 'instance',
    instantiates: [
      'https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentResponder',
      'https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentRecipient',
    ],
    implementation: { description: 'OpenDMP : API FHIR des documents (IHE MHD, ANS PDSm) pour les logiciels des professionnels', url: baseUrl },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        security: restSecurity(baseUrl, oauth),
        documentation:
          'Authentification : Authorization: Bearer <jeton d’accès Pro Santé Connect>. Chaque demande est décidée par la politique d’accès du DMP et tracée.',
        resource: capabilityResources(),
        interaction: [{ code: 'transaction', documentation: 'ITI-65 Provide Document Bundle : un List (lot de soumission), un ou plusieurs DocumentReference et leurs Binary, enregistrés tous ou aucun ; un remplacement par relatesTo replaces (PDSm4DMP TD2.1).' }],
      },
    ],
  };
  // A copy: the answer's schema wants a plain object, not the interface.
  return { ...statement };
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
