import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as FhirClient, type Client } from 'fhir-kit-client';
import * as oidc from 'openid-client';
import { findRecord } from '../src/records/records';
import { addSoftwareClientCommand } from '../src/app/cli/software-clients';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { parseDocumentFhirId } from '../src/api/fhir/resources';
import { checkedFhirClient } from './helpers/client';
import { pdsmBundle, sha1Base64, TRE_A03 } from './helpers/pdsm-bundle';
import { startListeningTestApp, type TestApp } from './helpers/context';
import { DOMINIQUE, signedInPatient } from './helpers/patients';
import { CLAIRE_MARTIN } from './helpers/professionals';

/**
 * The practice-software scenario of issue #12, driven by a published FHIR client (fhir-kit-client)
 * over real HTTP, as a French LGC would: the service listens on loopback with PUBLIC_URL set to its
 * own address, so the absolute links it writes lead back to it. Every answer the client receives
 * is checked against the FHIR R4 schema and every DocumentReference against the PDSm profile
 * (helpers/client.ts checkedFhirClient). The steps run in order, each on what the earlier ones
 * did, as Dr Claire MARTIN, Dominique's médecin traitant, in her own software: check the patient
 * (ITI-78), submit two documents (ITI-65), find them (ITI-67), read one, retrieve it (ITI-68),
 * replace it (PDSm4DMP TD2.1), and read the patient's access history (AuditEvent).
 */

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n% ${text}\n%%EOF\n`);
const REPORT = pdf('compte rendu du logiciel');
const PRESCRIPTION = pdf('ordonnance du logiciel');
const CORRECTED = pdf('compte rendu du logiciel, corrigé');
const TRE_R02 = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';
const TRE_A01 = 'https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice';
const PS_IDNAT = 'urn:oid:1.2.250.1.71.4.2.1';
const TREATING = 'https://interop.esante.gouv.fr/ig/fhir/dmp/StructureDefinition/dmp-medecin-traitant';
const ACCESS = 'https://opendmp.fr/fhir/StructureDefinition/dmp-acces-professionnel';

interface Resource {
  resourceType: string;
  id?: string;
  [element: string]: unknown;
}
interface BundleOf<T> extends Resource {
  type: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: ({ fullUrl?: string; resource?: T; response?: { status: string; location?: string } })[];
}
interface Coding {
  system?: string;
  code: string;
}
interface DocumentReference extends Resource {
  meta: { versionId: string; profile?: string[] };
  masterIdentifier: { system: string; value: string };
  status: string;
  description?: string;
  type: { coding: Coding[] };
  category: { coding: Coding[] }[];
  subject: { reference?: string; identifier: { system: string; value: string } };
  relatesTo?: { code: string; target: { reference: string } }[];
  content: { attachment: { contentType: string; url: string; size: number; hash: string; title: string } }[];
}
type Ext = { url: string; valueBoolean?: boolean; valueCode?: string; extension?: Ext[] };
interface Patient extends Resource {
  active: boolean;
  identifier: { use: string; system: string; value: string }[];
  name?: { use: string; family: string; given?: string[] }[];
  gender?: string;
  birthDate?: string;
  extension: Ext[];
}
interface AuditEvent extends Resource {
  type: Coding;
  subtype?: Coding[];
  action?: string;
  recorded: string;
  outcome: string;
  agent: { who: { identifier?: { system: string; value: string } }; policy?: string[] }[];
  entity: { what: { reference?: string; identifier?: { value: string } } }[];
}

/**
 * What an LGC does to get a token: the operator registers it (`npm run fhir:client:add`), then
 * the professional signs in from it (OAuth 2.0 authorization code with PKCE, RFC 7636, as a
 * public native client with a loopback redirect, RFC 8252) through the provider's chooser, and
 * the software exchanges the code.
 */
async function accessTokenFor(t: TestApp & { url: string }, rpps: string): Promise<string> {
  const redirectUri = 'http://127.0.0.1:8765/callback';
  const printed = await addSoftwareClientCommand(t.ctx, ['--name', 'Logiciel de cabinet (scénario)', '--redirect-uri', redirectUri]);
  const clientId = /client id: +(\S+)/.exec(printed)?.[1];
  assert.ok(clientId, printed);
  const config = await oidc.discovery(new URL(`${t.url}/dev/oidc`), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  let url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid scope_all',
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  // The professional's browser: its cookies at the provider, and redirects followed by hand.
  const cookies = new Map<string, string>();
  const visit = async (target: URL, form?: Record<string, string>) => {
    const res = await fetch(target, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    await res.arrayBuffer();
    return res;
  };
  const until = async (res: Response, stop: (at: URL) => boolean) => {
    while (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url);
      if (stop(url)) return;
      res = await visit(url);
    }
    assert.ok(stop(url), `stopped at ${url.href} (${res.status})`);
  };
  await until(await visit(url), (at) => at.pathname.startsWith('/dev/oidc/interaction/'));
  await until(await visit(new URL(`${url.pathname}/login`, url), { rpps }), (at) => at.href.startsWith(redirectUri));
  const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: verifier, expectedState: state });
  return tokens.access_token;
}

describe('practice software with a published FHIR client (fhir-kit-client), over HTTP', () => {
  let t: TestApp & { url: string };
  let token: string;
  let fhir: Client;
  let ins: { system: string; value: string };
  let patientId: string;
  /** The FHIR ids of the documents as the deposit answered them. */
  const ids = { report: '', prescription: '', corrected: '' };
  const uniqueIds = { report: 'urn:oid:1.2.250.1.999.12.1', prescription: 'urn:oid:1.2.250.1.999.12.2', corrected: 'urn:oid:1.2.250.1.999.12.3' };

  const search = async (searchParams: Record<string, string | string[]>, options?: { postSearch: boolean }) =>
    (await fhir.search({ resourceType: 'DocumentReference', searchParams: { 'patient.identifier': `${ins.system}|${ins.value}`, ...searchParams }, ...(options ? { options } : {}) })) as BundleOf<DocumentReference>;
  const found = async (searchParams: Record<string, string | string[]>) => ((await search(searchParams)).entry ?? []).map((e) => e.resource!.id!).sort();
  const read = async (id: string) => (await fhir.read({ resourceType: 'DocumentReference', id })) as DocumentReference;
  const provided = (answer: BundleOf<Resource>) => (answer.entry ?? []).map((e) => e.response!);
  const idOf = (location: string | undefined) => /^DocumentReference\/([0-9a-z]+-\d+)$/.exec(location ?? '')?.[1] ?? assert.fail(`not a DocumentReference location: ${location}`);

  before(async () => {
    t = await startListeningTestApp({ env: { BLOB_STORE: `file:${mkdtempSync(join(tmpdir(), 'fhir-scenario-'))}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    const { recordId } = await signedInPatient(t, DOMINIQUE);
    const record = await findRecord(t.ctx, recordId);
    ins = { system: `urn:oid:${record.insOid}`, value: record.insMatricule };
    assert.equal(ins.system, 'urn:oid:1.2.250.1.213.1.4.10', 'the demo files its people under the test INS OID');
    // Dr Claire MARTIN, Dominique's médecin traitant, in her practice software.
    token = await accessTokenFor(t, CLAIRE_MARTIN);
    fhir = checkedFhirClient({ baseUrl: `${t.url}/fhir`, bearerToken: token }, { pdsm: 'all' });
  });
  after(async () => t.close());

  it('reads what the server can do from its CapabilityStatement', async () => {
    const statement = (await fhir.capabilityStatement()) as Resource & { fhirVersion: string; rest: { resource: { type: string; interaction: { code: string }[] }[]; interaction?: { code: string }[] }[] };
    assert.equal(statement.resourceType, 'CapabilityStatement');
    assert.equal(statement.fhirVersion, '4.0.1');
    const [rest] = statement.rest;
    const interactions = (type: string) => rest!.resource.find((r) => r.type === type)?.interaction.map((i) => i.code) ?? [];
    assert.ok(interactions('Patient').includes('search-type'), 'ITI-78');
    assert.ok(interactions('DocumentReference').includes('search-type'));
    assert.ok(interactions('DocumentReference').includes('read'));
    assert.ok(interactions('Binary').includes('read'));
    assert.ok(interactions('AuditEvent').includes('search-type'));
    assert.ok(rest!.interaction?.some((i) => i.code === 'transaction'), 'ITI-65 is a transaction');
  });

  it('1. checks the patient by INS (ITI-78, GET and POST _search): the INS traits, a DMP open, and that she is its médecin traitant', async () => {
    const identifier = `${ins.system}|${ins.value}`;
    const byGet = (await fhir.search({ resourceType: 'Patient', searchParams: { identifier } })) as BundleOf<Patient>;
    const byPost = (await fhir.search({ resourceType: 'Patient', searchParams: { identifier }, options: { postSearch: true } })) as BundleOf<Patient>;
    for (const bundle of [byGet, byPost]) {
      assert.equal(bundle.type, 'searchset');
      assert.equal(bundle.total, 1);
      const patient = bundle.entry![0]!.resource!;
      assert.equal(bundle.entry![0]!.fullUrl, `${t.url}/fhir/Patient/${patient.id}`);
      assert.deepEqual(patient.identifier, [{ use: 'official', ...ins }]);
      assert.deepEqual(patient.name, [{ use: 'official', family: 'PAT-TROIS', given: ['Dominique Marie-Louise'] }]);
      assert.equal(patient.gender, 'female');
      assert.equal(patient.birthDate, '1979-03-28');
      // PDSm4DMP TD0.2: the DMP exists (an entry) and is open (active, no dmp-fermeture).
      assert.equal(patient.active, true);
      assert.equal(patient.extension.find((e) => e.url.endsWith('/dmp-fermeture')), undefined);
      assert.equal(patient.extension.find((e) => e.url === TREATING)?.valueBoolean, true);
      const access = patient.extension.find((e) => e.url === ACCESS)?.extension ?? [];
      assert.deepEqual([access.find((e) => e.url === 'lecture')?.valueBoolean, access.find((e) => e.url === 'regle')?.valueCode], [true, 'treating-doctor']);
    }
    assert.equal(byPost.entry![0]!.resource!.id, byGet.entry![0]!.resource!.id);
    patientId = byGet.entry![0]!.resource!.id!;
    // The Retrieve Patient Resource read (PDQm §2:3.78.4.3), at the fullUrl the search gave.
    const retrieved = (await fhir.read({ resourceType: 'Patient', id: patientId })) as Patient;
    assert.deepEqual([retrieved.identifier, retrieved.active], [[{ use: 'official', ...ins }], true]);
  });

  it('2. submits two documents in one submission set (ITI-65), each answered 201 with its location', async () => {
    const answer = (await fhir.transaction({
      body: pdsmBundle({
        subject: { reference: `Patient?identifier=${ins.system}|${ins.value}` },
        rpps: CLAIRE_MARTIN,
        documents: [
          {
            bytes: REPORT,
            typeCode: '11488-4',
            title: 'Consultation du 10 février (logiciel de cabinet)',
            uniqueId: uniqueIds.report,
            facilityType: { system: TRE_R02, code: 'SA07', display: 'Cabinet individuel' },
            practiceSetting: { system: TRE_A01, code: 'AMBULATOIRE', display: 'Ambulatoire' },
          },
          {
            bytes: PRESCRIPTION,
            typeCode: '57833-6',
            title: 'Ordonnance du 15 janvier (visite à domicile)',
            uniqueId: uniqueIds.prescription,
            classCode: '10',
            serviceStart: '2026-01-15T14:00:00+01:00',
            facilityType: { system: TRE_R02, code: 'SA05', display: 'Centre de santé' },
            practiceSetting: { system: TRE_A01, code: 'SAD', display: 'Soins à domicile' },
          },
        ],
      }),
    })) as BundleOf<Resource>;
    assert.equal(answer.resourceType, 'Bundle');
    assert.equal(answer.type, 'transaction-response');
    // In the order of the bundle: the List, then each DocumentReference and its Binary.
    const responses = provided(answer);
    assert.deepEqual(responses.map((r) => r.status), ['201 Created', '201 Created', '201 Created', '201 Created', '201 Created']);
    assert.match(responses[0]!.location ?? '', /^List\//);
    ids.report = idOf(responses[1]!.location);
    ids.prescription = idOf(responses[3]!.location);
    assert.match(responses[2]!.location ?? '', /^Binary\//);
    assert.match(responses[4]!.location ?? '', /^Binary\//);
    assert.notEqual(ids.report, ids.prescription);
    // One submission set (ITI-66) holding both.
    const set = (await fhir.read({ resourceType: 'List', id: responses[0]!.location!.split('/')[1]! })) as Resource & { entry: { item: { reference: string } }[] };
    assert.deepEqual(set.entry.map((e) => e.item.reference).sort(), [`DocumentReference/${ids.report}`, `DocumentReference/${ids.prescription}`].sort());
    // Both stored: each readable at its location, with the LGC's uniqueId.
    for (const [id, uniqueId] of [[ids.report, uniqueIds.report], [ids.prescription, uniqueIds.prescription]] as const) {
      const stored = await read(id);
      assert.deepEqual([stored.masterIdentifier.system, stored.masterIdentifier.value], ['urn:ietf:rfc:3986', uniqueId]);
      assert.equal(stored.status, 'current');
    }
  });

  it('3. finds them with the MHD search parameters (ITI-67), each filter leaving out what it should', async () => {
    const both = [ids.report, ids.prescription].sort();
    const all = await search({ status: 'current' });
    assert.equal(all.type, 'searchset');
    assert.equal(all.total, 2);
    assert.ok(all.link?.find((l) => l.relation === 'self')?.url.startsWith(`${t.url}/fhir/DocumentReference?`));
    for (const entry of all.entry!) {
      assert.equal(entry.fullUrl, `${t.url}/fhir/DocumentReference/${entry.resource!.id}`);
      assert.deepEqual(entry.resource!.subject.identifier, ins);
    }
    const posted = await search({ status: 'current', type: 'http://loinc.org|57833-6' }, { postSearch: true });
    assert.deepEqual(posted.entry?.map((e) => e.resource!.id), [ids.prescription], 'POST _search');
    assert.deepEqual(await found({ status: 'superseded' }), []);
    // The LGC's uniqueId (masterIdentifier, PDSm4DMP TD3.1b) and the id.
    assert.deepEqual(await found({ identifier: `urn:ietf:rfc:3986|${uniqueIds.prescription}` }), [ids.prescription]);
    assert.deepEqual(await found({ _id: ids.report }), [ids.report]);
    assert.deepEqual(await found({ type: 'http://loinc.org|11488-4' }), [ids.report]);
    assert.deepEqual(await found({ type: '11488-4,57833-6' }), both);
    // The French class codes (TRE_A03), by their URL or their OID.
    assert.deepEqual(await found({ category: `${TRE_A03}|11` }), [ids.report]);
    assert.deepEqual(await found({ category: 'urn:oid:1.2.250.1.213.1.1.4.1|10' }), [ids.prescription]);
    assert.deepEqual(await found({ category: `${TRE_A03}|13` }), []);
    // The date of care (period) with prefixes; the registration (date), today on the service's clock.
    assert.deepEqual(await found({ period: 'ge2026-02-01' }), [ids.report]);
    assert.deepEqual(await found({ period: 'lt2026-02-01' }), [ids.prescription]);
    assert.deepEqual(await found({ period: ['ge2026-01-01', 'le2026-02-28'] }), both);
    assert.deepEqual(await found({ date: 'eq2026-03-12' }), both);
    assert.deepEqual(await found({ date: 'gt2026-03-12' }), []);
    assert.deepEqual(await found({ date: 'ge2026-03-12T10:00:00+01:00' }), both, 'an instant in another time zone');
    assert.deepEqual(await found({ date: 'lt2026-03-12T09:59:00+01:00' }), []);
    assert.deepEqual(await found({ 'author.family': 'martin' }), both);
    assert.deepEqual(await found({ 'author.family': 'lefebvre' }), []);
    assert.deepEqual(await found({ setting: `${TRE_A01}|SAD` }), [ids.prescription]);
    assert.deepEqual(await found({ facility: `${TRE_R02}|SA07` }), [ids.report]);
    assert.deepEqual(await found({ facility: 'SA01' }), []);
    assert.deepEqual(await found({ status: 'current', 'author.family': 'martin', facility: 'SA05', period: 'ge2026-02-01' }), [], 'the parameters AND together');
    // _count=1: one per page, and the next link (the server's, followed as given) gives the other.
    const first = await search({ status: 'current', _count: '1', _sort: 'period' });
    assert.equal(first.total, 2);
    assert.deepEqual(first.entry?.map((e) => e.resource!.id), [ids.prescription]);
    const next = first.link?.find((l) => l.relation === 'next')?.url ?? assert.fail('a next link');
    assert.ok(next.startsWith(`${t.url}/fhir/DocumentReference?`), next);
    const second = (await fhir.nextPage({ bundle: first as never })) as BundleOf<DocumentReference>;
    assert.deepEqual(second.entry?.map((e) => e.resource!.id), [ids.report]);
    assert.equal(second.link?.find((l) => l.relation === 'next'), undefined);
  });

  it('4. reads one DocumentReference by id, with meta.versionId and its ETag; 304 when unchanged', async () => {
    const doc = await read(ids.report);
    assert.equal(doc.id, ids.report);
    assert.equal(doc.meta.versionId, '1');
    assert.equal(doc.description, 'Consultation du 10 février (logiciel de cabinet)');
    assert.deepEqual(doc.type.coding.map((c) => c.code), ['11488-4']);
    assert.equal(doc.content[0]!.attachment.size, REPORT.length);
    assert.equal(FhirClient.httpFor(doc).response?.headers.get('etag'), 'W/"1"');
    const unchanged = await fhir.read({ resourceType: 'DocumentReference', id: ids.report, options: { headers: { 'if-none-match': 'W/"1"' } } }).then(
      () => assert.fail('a 304 for an unchanged version'),
      (error: { response?: { status: number } }) => error.response?.status,
    );
    assert.equal(unchanged, 304);
  });

  it('5. retrieves it (ITI-68) at attachment.url: the bytes sent, with their SHA-1', async () => {
    const doc = await read(ids.report);
    const { url, hash, size, contentType } = doc.content[0]!.attachment;
    assert.ok(url.startsWith(`${t.url}/fhir/Binary/`), url);
    assert.equal(hash, sha1Base64(REPORT));
    // As a FHIR Binary (what fhir-kit-client asks for), and as the document's own bytes.
    const binary = (await fhir.request(url)) as Resource & { contentType: string; data: string };
    assert.equal(binary.resourceType, 'Binary');
    assert.equal(binary.contentType, 'application/pdf');
    const bytes = Buffer.from(binary.data, 'base64');
    assert.deepEqual(bytes, REPORT);
    assert.equal(bytes.length, size);
    assert.equal(sha1Base64(bytes), hash);
    const raw = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: contentType } });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get('content-type'), 'application/pdf');
    assert.equal(sha1Base64(Buffer.from(await raw.arrayBuffer())), sha1Base64(REPORT));
  });

  it('6. replaces it (PDSm4DMP TD2.1): the old one superseded, found by status, and the new one points to it', async () => {
    const answer = (await fhir.transaction({
      body: pdsmBundle({
        subject: { reference: `Patient?identifier=${ins.system}|${ins.value}` },
        rpps: CLAIRE_MARTIN,
        documents: [
          {
            bytes: CORRECTED,
            typeCode: '11488-4',
            title: 'Consultation du 10 février (corrigée)',
            uniqueId: uniqueIds.corrected,
            replaces: ids.report,
            facilityType: { system: TRE_R02, code: 'SA07', display: 'Cabinet individuel' },
            practiceSetting: { system: TRE_A01, code: 'AMBULATOIRE', display: 'Ambulatoire' },
          },
        ],
      }),
    })) as BundleOf<Resource>;
    const responses = provided(answer);
    assert.deepEqual(responses.map((r) => r.status), ['201 Created', '201 Created', '200 OK', '201 Created']);
    ids.corrected = idOf(responses[1]!.location);
    assert.equal(responses[2]!.location, `DocumentReference/${ids.report}`, 'the PATCH that supersedes the old one');

    const old = await read(ids.report);
    assert.equal(old.status, 'superseded');
    assert.equal(old.meta.versionId, '2', 'its metadata changed');
    const etag = FhirClient.httpFor(old).response?.headers.get('etag');
    assert.equal(etag, 'W/"2"');
    const corrected = await read(ids.corrected);
    assert.equal(corrected.status, 'current');
    assert.deepEqual(corrected.relatesTo, [{ code: 'replaces', target: { reference: `DocumentReference/${ids.report}` } }]);
    assert.equal(corrected.content[0]!.attachment.hash, sha1Base64(CORRECTED));
    assert.deepEqual(await found({ status: 'superseded' }), [ids.report]);
    assert.deepEqual(await found({ status: 'current' }), [ids.corrected, ids.prescription].sort());
    assert.deepEqual(await found({ related: `DocumentReference/${ids.report}` }), [ids.corrected]);
    // The old version is still retrievable (both readable in history).
    const binary = (await fhir.request(old.content[0]!.attachment.url)) as Resource & { data: string };
    assert.deepEqual(Buffer.from(binary.data, 'base64'), REPORT);
  });

  it('7. reads the patient’s AuditEvents as the médecin traitant: the deposits, the reads and the retrievals of this scenario, by her RPPS', async () => {
    const events: AuditEvent[] = [];
    let page = (await fhir.search({ resourceType: 'AuditEvent', searchParams: { patient: `Patient/${patientId}`, _count: '200' } })) as BundleOf<AuditEvent> | undefined;
    while (page) {
      events.push(...(page.entry ?? []).map((e) => e.resource!));
      page = page.link?.some((l) => l.relation === 'next') ? ((await fhir.nextPage({ bundle: page as never })) as BundleOf<AuditEvent>) : undefined;
    }
    const byClaire = events.filter((e) => e.agent.some((a) => a.who.identifier?.system === PS_IDNAT && a.who.identifier.value === `8${CLAIRE_MARTIN}`));
    const documentOf = (id: string) => `urn:uuid:${parseDocumentFhirId(id)!.documentId}`;
    const about = (e: AuditEvent, id: string) => e.entity.some((x) => x.what.identifier?.value === documentOf(id));
    const subtypes = (e: AuditEvent) => (e.subtype ?? []).map((c) => c.code);
    for (const e of events) assert.ok(e.entity.some((x) => x.what.reference === `Patient/${patientId}`), `${e.id} names the patient`);
    // ITI-65: the two deposits and the replacement (the same document, its second version), DICOM 110107 « Import ».
    const provides = byClaire.filter((e) => e.type.code === '110107' && subtypes(e).includes('ITI-65') && e.outcome === '0');
    assert.ok(provides.some((e) => about(e, ids.report) && e.action === 'C'));
    assert.ok(provides.some((e) => about(e, ids.prescription)));
    assert.equal(provides.filter((e) => about(e, ids.report)).length, 2, 'the deposit and the replacement of the report');
    assert.equal(provides.length, 3);
    // The reads of the DocumentReference and the retrievals of the report (ITI-68).
    const opened = byClaire.filter((e) => subtypes(e).includes('ITI-68') && about(e, ids.report) && e.outcome === '0');
    assert.ok(opened.length >= 4, `reads and retrievals of the report: ${opened.length}`);
    // The searches (ITI-67) and this very reading of the history (110101).
    assert.ok(byClaire.some((e) => subtypes(e).includes('ITI-67')));
    assert.ok(byClaire.some((e) => e.type.code === '110101'), 'reading the history is traced on it');
    // Each under the rule that let her: the médecin traitant's, or the author's for her own documents.
    const rules = new Set(byClaire.flatMap((e) => e.agent[0]!.policy ?? []).map((p) => p.replace('https://opendmp.fr/fhir/CodeSystem/regle-acces#', '')));
    assert.deepEqual([...rules].sort(), ['document-author', 'treating-doctor']);
  });

  it('is told in an OperationOutcome when it asks for a patient without a DMP', async () => {
    // MHD ITI-67 answers 200 whether documents are found or not; the Bundle says why it is empty.
    const nicolas = '185054958815725'; // in the directory, without a DMP
    const bundle = (await fhir.search({ resourceType: 'DocumentReference', searchParams: { 'patient.identifier': `${ins.system}|${nicolas}`, status: 'current' } })) as BundleOf<Resource>;
    assert.equal(bundle.total, 0);
    const outcome = (bundle.entry as { search?: { mode: string }; resource?: Resource }[] | undefined)?.find((e) => e.search?.mode === 'outcome')?.resource as (Resource & { issue: { severity: string }[] }) | undefined;
    assert.equal(outcome?.resourceType, 'OperationOutcome');
    assert.equal(outcome?.issue[0]!.severity, 'warning');
  });
});
