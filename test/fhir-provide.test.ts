/**
 * ITI-65 Provide Document Bundle as practice software sends it (IHE MHD 4.2, ANS PDSm 3.x,
 * PDSm4DMP TD2 / TD2.1) and the metadata updates of PDSm4DMP TD3.3: several documents stored
 * together or not at all, every metadata element kept, validation before anything is stored,
 * replacement, and PATCH decided by the policy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { findRecord } from '../src/records/records';
import { auditCipher } from '../src/audit/recorder';
import { readHistory } from '../src/audit/trail';
import { listDocuments } from '../src/documents/reading';
import type { DocumentTables } from '../src/documents/tables';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import { documentFhirId } from '../src/api/fhir/resources';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { DOMINIQUE, signedInPatient, type DemoPerson } from './helpers/patients';
import { CLAIRE_MARTIN, JULIEN_LEFEBVRE, professionalClient } from './helpers/professionals';
import { CCAM, newOid, pdsmBundle, sha1Base64, SNOMED, TRE_A03, TRE_A07, V3_CONFIDENTIALITY, type BundleDocument, type BundleOptions } from './helpers/pdsm-bundle';

const NICOLAS: DemoPerson = { nir: '185054958815725', serial: '1242687940214477', email: 'nicolas.durand@example.com' };
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const LAB_CDA = readFileSync(new URL('../demo/cda/BIO-CR-BIO_2024.01_TSH_1.xml', import.meta.url));
const FHIR = { 'content-type': 'application/fhir+json' };
const PATCH = { 'content-type': 'application/json-patch+json' };

type Outcome = { resourceType: string; issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[] };
const expressions = (outcome: Outcome) => outcome.issue.flatMap((i) => i.expression ?? []);

describe('ITI-65 Provide Document Bundle and PDSm metadata updates', () => {
  let t: TestApp;
  let blobDir: string;
  let recordId: string;
  let ins: { system: string; value: string };
  let claire: TestClient;
  let julien: TestClient;

  const conditional = () => ({ reference: `Patient?identifier=${ins.system}|${ins.value}` });
  const bundle = (documents: BundleDocument[], more: Partial<BundleOptions> = {}) => pdsmBundle({ subject: conditional(), rpps: CLAIRE_MARTIN, documents, ...more });
  const provide = (client: TestClient, body: unknown) => client.request('POST', '/fhir', JSON.stringify(body), { headers: FHIR });
  const patch = (client: TestClient, url: string, operations: unknown, headers: Record<string, string> = PATCH) =>
    client.request('PATCH', url, JSON.stringify(operations), { headers });
  const history = () => readHistory(t.ctx.database.db, recordId, auditCipher(t.ctx.database.db, t.ctx.masterKey, t.clock.now()), { limit: 1000 });
  const everything = { excludeHiddenFromPatient: false, excludeHiddenFromRepresentatives: false, excludeMasked: false };
  const summaries = async () => (await listDocuments(t.ctx, recordId, everything, { includeHistory: true, limit: 500, offset: 0 })).documents;
  const blobCount = () => readdirSync(blobDir, { recursive: true }).filter((f) => statSync(join(blobDir, String(f))).isFile()).length;
  const counts = async () => {
    const db = t.ctx.database.db.withTables<DocumentTables>();
    const rows = await db.selectFrom('document').select((eb) => eb.fn.countAll<number>().as('n')).where('record_id', '=', recordId).executeTakeFirst();
    const sets = await db.selectFrom('submission_set').select((eb) => eb.fn.countAll<number>().as('n')).where('record_id', '=', recordId).executeTakeFirst();
    const deposits = (await history()).filter((e) => e.allowed && (e.action === 'deposit' || e.action === 'replace')).length;
    return { rows: Number(rows?.n), sets: Number(sets?.n), blobs: blobCount(), deposits };
  };
  const locations = (res: { json(): { entry: { response: { status: string; location?: string } }[] } }) => res.json().entry.map((e) => e.response);
  const idOf = (location: string) => location.slice(location.indexOf('/') + 1);

  before(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'fhir-provide-blobs-'));
    t = await startTestApp({ env: { BLOB_STORE: `file:${blobDir}` } });
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ recordId } = await signedInPatient(t, DOMINIQUE));
    const record = await findRecord(t.ctx, recordId);
    ins = { system: `urn:oid:${record.insOid}`, value: record.insMatricule };
    claire = await professionalClient(t, CLAIRE_MARTIN);
    julien = await professionalClient(t, JULIEN_LEFEBVRE);
  });
  after(async () => t.close());

  it('stores two documents of one submission set with every metadata element, and answers each entry in order', async () => {
    const first = { bytes: pdf('consultation'), uniqueId: newOid(), title: 'Consultation du 10 février', eventCodes: ['DEQP003'] };
    const second = {
      bytes: LAB_CDA,
      contentType: 'application/xml',
      typeCode: '11502-2',
      uniqueId: newOid(),
      title: 'Bilan thyroïdien',
      labels: [
        { system: V3_CONFIDENTIALITY, code: 'R' },
        { system: TRE_A07, code: 'INVISIBLE_PATIENT' },
      ],
    };
    const listUniqueId = newOid();
    const sent = bundle([first, second], { listUniqueId });
    const res = await provide(claire, sent);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().type, 'transaction-response');
    const answered = locations(res);
    assert.deepEqual(answered.map((r) => r.status), ['201 Created', '201 Created', '201 Created', '201 Created', '201 Created']);
    assert.match(answered[0]!.location!, /^List\/[0-9a-z]{50}$/);
    assert.match(answered[1]!.location!, /^DocumentReference\/[0-9a-z]{50}-1$/);
    assert.equal(answered[2]!.location, `Binary/${idOf(answered[1]!.location!)}`);
    assert.equal(answered[4]!.location, `Binary/${idOf(answered[3]!.location!)}`);

    const stored = await summaries();
    const a = stored.find((d) => d.sharing.uniqueId === first.uniqueId)!;
    const b = stored.find((d) => d.sharing.uniqueId === second.uniqueId)!;
    assert.ok(a && b, 'both documents are stored under their uniqueId');
    assert.equal(a.title, 'Consultation du 10 février');
    assert.equal(a.typeCode, '11488-4');
    assert.equal(a.careDate, '2026-02-10');
    assert.equal(a.format, 'pdf');
    assert.deepEqual(a.sharing.eventCodes, [`${CCAM}|DEQP003`]);
    assert.equal(a.sharing.confidentiality, 'N');
    assert.equal(b.format, 'cda');
    assert.equal(b.typeCode, '11502-2');
    assert.equal(b.sharing.confidentiality, 'R');
    assert.equal(b.hiddenFromPatient, true);
    assert.equal(b.masked, false);
    for (const [d, bytes] of [[a, first.bytes], [b, second.bytes]] as const) {
      assert.equal(d.sharing.classCode, `${TRE_A03}|11`);
      assert.equal(d.sharing.facilityType, `${SNOMED}|35971002`);
      assert.equal(d.sharing.practiceSetting, `${SNOMED}|394802001`);
      assert.equal(d.sharing.language, 'fr-FR');
      assert.equal(Buffer.from(d.sharing.sha1!, 'hex').toString('base64'), sha1Base64(bytes));
      assert.equal(d.author.id, CLAIRE_MARTIN);
      assert.equal(d.sharing.author.profession, 'G15_10');
      assert.ok(d.sharing.author.organization?.name);
    }
    assert.ok(a.sharing.submissionSetId);
    assert.equal(a.sharing.submissionSetId, b.sharing.submissionSetId);
    const set = await t.ctx.database.db.withTables<DocumentTables>().selectFrom('submission_set').selectAll().where('record_id', '=', recordId).where('submission_set_id', '=', a.sharing.submissionSetId).executeTakeFirstOrThrow();
    assert.equal(set.unique_id, listUniqueId);
    assert.equal(set.source_id, 'urn:oid:1.2.250.1.999.42');
    assert.equal(set.content_type, `${TRE_A03}|11`);
    assert.equal(set.author_id, CLAIRE_MARTIN);
    assert.ok(set.title_sealed, 'the List title is kept, sealed');
    const row = await t.ctx.database.db.withTables<DocumentTables>().selectFrom('document').select(['source_patient_sealed', 'document_id']).where('record_id', '=', recordId).where('unique_id', '=', first.uniqueId).executeTakeFirstOrThrow();
    assert.ok(row.source_patient_sealed, 'sourcePatientInfo is kept, sealed');
    assert.equal(Buffer.from(row.source_patient_sealed!).includes(Buffer.from('IPP-4711')), false, 'never in clear');
    const deposits = (await history()).filter((e) => e.action === 'deposit' && e.actorId === CLAIRE_MARTIN && e.allowed);
    assert.ok(deposits.some((e) => e.documentId === a.documentId) && deposits.some((e) => e.documentId === b.documentId), 'each document traced as a deposit');
    // The same bytes come back (ITI-68).
    assert.deepEqual((await claire.get(`/fhir/Binary/${idOf(answered[1]!.location!)}`)).rawPayload, first.bytes);
  });

  it('refuses a bundle with one bad entry with a 422 naming the element, storing nothing of the others', async () => {
    const good = () => ({ bytes: pdf(`bon ${randomUUID()}`) });
    const cases: { name: string; body: () => object; expression: RegExp }[] = [
      { name: 'a wrong hash', body: () => bundle([good(), { bytes: pdf('b'), hash: sha1Base64(Buffer.from('autre chose')) }]), expression: /^Bundle\.entry\[3\]\.resource\.content\[0\]\.attachment\.hash$/ },
      { name: 'a wrong size', body: () => bundle([good(), { bytes: pdf('b'), size: 12 }]), expression: /^Bundle\.entry\[3\]\.resource\.content\[0\]\.attachment\.size$/ },
      { name: 'a contentType that is not the bytes’ format', body: () => bundle([good(), { bytes: pdf('b'), contentType: 'image/png' }]), expression: /^Bundle\.entry\[3\]\.resource\.content\[0\]\.attachment\.contentType$/ },
      { name: 'a type disagreeing with the CDA header', body: () => bundle([good(), { bytes: LAB_CDA, contentType: 'text/xml', typeCode: '11488-4' }]), expression: /^Bundle\.entry\[3\]\.resource\.type$/ },
      { name: 'an unknown type', body: () => bundle([good(), { bytes: pdf('b'), typeCode: '99999-9' }]), expression: /^Bundle\.entry\[3\]\.resource\.type$/ },
      { name: 'another author than the signed-in professional', body: () => pdsmBundle({ subject: conditional(), rpps: JULIEN_LEFEBVRE, documents: [good()] }), expression: /^Bundle\.entry\[0\]\.resource\.source$/ },
      {
        name: 'a List that is not a current submission set',
        body: () => {
          const b = bundle([good(), good()]) as { entry: { resource: Record<string, unknown> }[] };
          b.entry[0]!.resource.status = 'retired';
          return b;
        },
        expression: /^Bundle\.entry\[0\]\.resource\.status$/,
      },
      {
        name: 'a List without its sourceId',
        body: () => {
          const b = bundle([good()]) as { entry: { resource: { extension: { url: string }[] } }[] };
          b.entry[0]!.resource.extension = b.entry[0]!.resource.extension.filter((x) => !x.url.endsWith('sourceId'));
          return b;
        },
        expression: /^Bundle\.entry\[0\]\.resource\.extension$/,
      },
      {
        name: 'a DocumentReference without masterIdentifier',
        body: () => {
          const b = bundle([good(), good()]) as { entry: { resource: Record<string, unknown> }[] };
          delete b.entry[3]!.resource.masterIdentifier;
          return b;
        },
        expression: /^Bundle\.entry\[3\]\.resource\.masterIdentifier$/,
      },
      {
        name: 'a DocumentReference that is not current',
        body: () => {
          const b = bundle([good(), good()]) as { entry: { resource: Record<string, unknown> }[] };
          b.entry[1]!.resource.status = 'superseded';
          return b;
        },
        expression: /^Bundle\.entry\[1\]\.resource\.status$/,
      },
      { name: 'an unknown visibility label', body: () => bundle([good(), { bytes: pdf('b'), labels: [{ system: TRE_A07, code: 'INVISIBLE_REPRESENTANT_LEGAL' }] }]), expression: /^Bundle\.entry\[3\]\.resource\.securityLabel\[0\]$/ },
    ];
    for (const c of cases) {
      const before = await counts();
      const res = await provide(claire, c.body());
      assert.equal(res.statusCode, 422, `${c.name}: ${res.body}`);
      const outcome = res.json() as Outcome;
      assert.equal(outcome.resourceType, 'OperationOutcome');
      assert.ok(expressions(outcome).some((e) => c.expression.test(e)), `${c.name}: ${JSON.stringify(expressions(outcome))}`);
      assert.deepEqual(await counts(), before, `${c.name}: nothing stored`);
    }
  });

  it('keeps the creation time and the period of care as sent (XDS creationTime, serviceStartTime, serviceStopTime) and gives them back', async () => {
    const uniqueId = newOid();
    const sent = { bytes: pdf(`heures ${randomUUID()}`), uniqueId, creation: '2024-03-01T10:15:00+01:00', serviceStart: '2024-02-29T08:05:30+01:00', serviceEnd: '2024-02-29T23:40:00-03:00' };
    const res = await provide(claire, bundle([sent]));
    assert.equal(res.statusCode, 200, res.body);
    const read = await claire.get(`/fhir/DocumentReference/${idOf(locations(res)[1]!.location!)}`);
    assert.equal(read.statusCode, 200, read.body);
    const reference = read.json() as { content: { attachment: { creation: string } }[]; context: { period: { start: string; end?: string } } };
    const instant = (text: string | undefined) => (text === undefined ? NaN : Date.parse(text));
    assert.equal(instant(reference.content[0]!.attachment.creation), Date.parse(sent.creation), reference.content[0]!.attachment.creation);
    assert.equal(instant(reference.context.period.start), Date.parse(sent.serviceStart), reference.context.period.start);
    assert.equal(instant(reference.context.period.end), Date.parse(sent.serviceEnd), reference.context.period.end);
    const stored = (await summaries()).find((d) => d.sharing.uniqueId === uniqueId)!;
    assert.equal(stored.careDate, '2024-02-29', 'the date of care is still the start’s date');
    assert.notEqual(Date.parse(stored.createdAt), Date.parse(sent.creation), 'the registration time is another time');
    // A period given as dates alone: no instant is invented, the start's date comes back as before.
    const dates = { bytes: pdf(`dates ${randomUUID()}`), serviceStart: '2024-02-29', serviceEnd: '2024-02-29' };
    const byDate = await provide(claire, bundle([dates]));
    assert.equal(byDate.statusCode, 200, byDate.body);
    const dated = (await claire.get(`/fhir/DocumentReference/${idOf(locations(byDate)[1]!.location!)}`)).json() as { context: { period: { start: string; end?: string } } };
    assert.deepEqual(dated.context.period, { start: '2024-02-29' });
  });

  it('refuses a creation or a period that is not a FHIR dateTime, and a period ending before it starts, with a 422 naming the element, storing nothing', async () => {
    const good = () => ({ bytes: pdf(`bon ${randomUUID()}`) });
    const doc = (more: Partial<BundleDocument>) => ({ bytes: pdf(`mauvais ${randomUUID()}`), ...more });
    const cases: { name: string; document: BundleDocument; expression: string }[] = [
      { name: 'a creation that is no dateTime', document: doc({ creation: 'le 1er mars 2024' }), expression: 'Bundle.entry[3].resource.content[0].attachment.creation' },
      { name: 'a creation on 30 February', document: doc({ creation: '2024-02-30T10:15:00+01:00' }), expression: 'Bundle.entry[3].resource.content[0].attachment.creation' },
      { name: 'a creation with a time but no zone', document: doc({ creation: '2024-03-01T10:15:00' }), expression: 'Bundle.entry[3].resource.content[0].attachment.creation' },
      { name: 'a period start at 25 o’clock', document: doc({ serviceStart: '2024-03-01T25:00:00+01:00' }), expression: 'Bundle.entry[3].resource.context.period.start' },
      { name: 'a period end that is no dateTime', document: doc({ serviceEnd: '2024-13-01' }), expression: 'Bundle.entry[3].resource.context.period.end' },
      { name: 'a period ending before it starts', document: doc({ serviceStart: '2024-03-01T10:00:00+01:00', serviceEnd: '2024-03-01T09:59:59+01:00' }), expression: 'Bundle.entry[3].resource.context.period.end' },
      { name: 'a period ending the day before it starts', document: doc({ serviceStart: '2024-03-01T10:00:00+01:00', serviceEnd: '2024-02-29' }), expression: 'Bundle.entry[3].resource.context.period.end' },
    ];
    for (const c of cases) {
      const before = await counts();
      const res = await provide(claire, bundle([good(), c.document]));
      assert.equal(res.statusCode, 422, `${c.name}: ${res.body}`);
      const outcome = res.json() as Outcome;
      assert.equal(outcome.resourceType, 'OperationOutcome');
      assert.ok(expressions(outcome).includes(c.expression), `${c.name}: ${JSON.stringify(expressions(outcome))}`);
      assert.deepEqual(await counts(), before, `${c.name}: nothing stored`);
    }
    // The same instant written in two zones is no inversion.
    const zones = await provide(claire, bundle([doc({ serviceStart: '2024-03-01T10:00:00+01:00', serviceEnd: '2024-03-01T09:00:00Z' })]));
    assert.equal(zones.statusCode, 200, zones.body);
  });

  it('refuses a uniqueId already used, in this bundle or an earlier one, naming masterIdentifier, storing nothing', async () => {
    const uniqueId = newOid();
    assert.equal((await provide(claire, bundle([{ bytes: pdf('premier'), uniqueId }]))).statusCode, 200);
    let before = await counts();
    const again = await provide(claire, bundle([{ bytes: pdf('autre') }, { bytes: pdf('encore'), uniqueId }]));
    assert.equal(again.statusCode, 409, again.body);
    assert.ok(expressions(again.json()).includes('Bundle.entry[3].resource.masterIdentifier'), again.body);
    assert.deepEqual(await counts(), before);
    // Two documents of one bundle under one uniqueId: the second row is refused by the index, in the commit, and the blobs go.
    const twice = newOid();
    before = await counts();
    const inOne = await provide(claire, bundle([{ bytes: pdf('un'), uniqueId: twice }, { bytes: pdf('deux'), uniqueId: twice }]));
    assert.equal(inOne.statusCode, 409, inOne.body);
    assert.ok(expressions(inOne.json()).some((e) => e.endsWith('masterIdentifier')), inOne.body);
    assert.deepEqual(await counts(), before, 'rows, blobs and traces all undone');
    // A submission set's uniqueId too.
    const listUniqueId = newOid();
    assert.equal((await provide(claire, bundle([{ bytes: pdf('lot') }], { listUniqueId }))).statusCode, 200);
    before = await counts();
    const sameSet = await provide(claire, bundle([{ bytes: pdf('lot bis') }], { listUniqueId }));
    assert.equal(sameSet.statusCode, 409, sameSet.body);
    assert.deepEqual(await counts(), before);
  });

  it('understands the patient as Patient?identifier=, as an identifier, or as Patient/<id>; refuses two patients or an unknown one', async () => {
    for (const subject of [conditional(), { identifier: ins }, { reference: `Patient/${recordId}` }]) {
      const res = await provide(claire, pdsmBundle({ subject, rpps: CLAIRE_MARTIN, documents: [{ bytes: pdf(JSON.stringify(subject)) }] }));
      assert.equal(res.statusCode, 200, `${JSON.stringify(subject)}: ${res.body}`);
    }
    const mixed = await provide(claire, pdsmBundle({ subject: { reference: `Patient/${recordId}` }, listSubject: conditional(), rpps: CLAIRE_MARTIN, documents: [{ bytes: pdf('mixte') }] }));
    assert.equal(mixed.statusCode, 200, 'two forms of one patient agree');
    const { recordId: other } = await signedInPatient(t, NICOLAS);
    const before = await counts();
    const two = await provide(claire, pdsmBundle({ subject: conditional(), listSubject: { reference: `Patient/${other}` }, rpps: CLAIRE_MARTIN, documents: [{ bytes: pdf('deux patients') }] }));
    assert.equal(two.statusCode, 422, two.body);
    for (const subject of [{ reference: `Patient/${randomUUID()}` }, { reference: `Patient?identifier=${ins.system}|185054958815726` }]) {
      const res = await provide(claire, pdsmBundle({ subject, rpps: CLAIRE_MARTIN, documents: [{ bytes: pdf('inconnu') }] }));
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(res.json().resourceType, 'OperationOutcome');
    }
    const notIns = await provide(claire, pdsmBundle({ subject: { reference: 'Patient?identifier=urn:oid:1.2.3|42' }, rpps: CLAIRE_MARTIN, documents: [{ bytes: pdf('x') }] }));
    assert.equal(notIns.statusCode, 422, notIns.body);
    assert.ok(expressions(notIns.json()).includes('Bundle.entry[0].resource.subject'));
    assert.deepEqual(await counts(), before);
  });

  it('replaces a document (relatesTo replaces + PATCH superseded): the old version superseded, a second replacement of it refused', async () => {
    const first = await provide(claire, bundle([{ bytes: pdf('version 1'), title: 'Compte rendu v1' }]));
    assert.equal(first.statusCode, 200, first.body);
    const x = idOf(locations(first)[1]!.location!);
    const replacing = await provide(claire, bundle([{ bytes: pdf('version 2'), title: 'Compte rendu v2', replaces: x }]));
    assert.equal(replacing.statusCode, 200, replacing.body);
    const answered = locations(replacing);
    assert.deepEqual(answered.map((r) => r.status), ['201 Created', '201 Created', '200 OK', '201 Created']);
    assert.equal(answered[2]!.location, `DocumentReference/${x}`);
    const y = idOf(answered[1]!.location!);
    assert.equal(y, x.replace(/-1$/, '-2'), 'the same document, version 2');
    const versions = (await summaries()).filter((d) => d.title.startsWith('Compte rendu v'));
    assert.deepEqual(versions.map((d) => [d.title, d.version, d.status]).sort(), [['Compte rendu v1', 1, 'replaced'], ['Compte rendu v2', 2, 'current']]);
    const search = (await claire.get(`/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${ins.system}|${ins.value}`)}&status=current,superseded`)).json();
    const statuses = Object.fromEntries(search.entry.map((e: { resource: { id: string; status: string } }) => [e.resource.id, e.resource.status]));
    assert.equal(statuses[x], 'superseded');
    assert.equal(statuses[y], 'current');
    assert.ok((await history()).some((e) => e.action === 'replace' && e.allowed && e.actorId === CLAIRE_MARTIN && e.documentId === versions[0]!.documentId));

    let before = await counts();
    const again = await provide(claire, bundle([{ bytes: pdf('version 2 bis'), replaces: x }]));
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().resourceType, 'OperationOutcome');
    assert.deepEqual(await counts(), { ...before, deposits: before.deposits }, 'nothing stored');

    // Without the PATCH entry (MHD lets the recipient be robust about it), by a professional who is not the author, of another record.
    before = await counts();
    const notAuthor = await provide(julien, pdsmBundle({ subject: conditional(), rpps: JULIEN_LEFEBVRE, documents: [{ bytes: pdf('pas à moi'), replaces: y }], withoutSupersede: true }));
    assert.equal(notAuthor.statusCode, 403, notAuthor.body);
    const elsewhere = documentFhirId({ recordId: randomUUID(), documentId: versions[0]!.documentId, version: 2 });
    const foreign = await provide(claire, bundle([{ bytes: pdf('ailleurs'), replaces: elsewhere }]));
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal((await provide(claire, bundle([{ bytes: pdf('inconnu'), replaces: 'pas-un-id' }]))).statusCode, 404);
    assert.deepEqual((await counts()).rows, before.rows);
    // A relation this server does not act on (transforms) is a warning of its entry (MHD Table 2:3.65.4.1.3-1).
    const robustBundle = bundle([{ bytes: pdf('version 3'), title: 'Compte rendu v3', replaces: y }], { withoutSupersede: true }) as { entry: { resource: { relatesTo?: unknown[] } }[] };
    robustBundle.entry[1]!.resource.relatesTo!.push({ code: 'transforms', target: { reference: `DocumentReference/${y}` } });
    const robust = await provide(claire, robustBundle);
    assert.equal(robust.statusCode, 200, robust.body);
    assert.deepEqual(locations(robust).map((r) => r.status), ['201 Created', '201 Created', '201 Created']);
    const warning = robust.json().entry[1].response.outcome.issue[0];
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.details.text, 'PartialTransformContentNotProcessed');
    assert.equal((await summaries()).find((d) => d.title === 'Compte rendu v2')!.status, 'replaced');
  });

  it('updates metadata by JSON Patch as the policy allows: visible to the patient, deletion by its author; masking, another author and other elements refused', async () => {
    const uniqueId = newOid();
    const res = await provide(claire, bundle([{ bytes: pdf('annonce'), uniqueId, labels: [{ system: TRE_A07, code: 'INVISIBLE_PATIENT' }] }]));
    assert.equal(res.statusCode, 200, res.body);
    const id = idOf(locations(res)[1]!.location!);
    const url = `/fhir/DocumentReference/${id}`;
    const stateOf = async () => (await summaries()).find((d) => d.sharing.uniqueId === uniqueId)!;
    assert.equal((await stateOf()).hiddenFromPatient, true);

    // TD3.3b: INVISIBLE_PATIENT replaced by N, by its author (where the label stands in the answer).
    const labels = (await claire.get(url)).json().securityLabel as { coding: { code: string }[] }[];
    const at = labels.findIndex((l) => l.coding.some((c) => c.code === 'INVISIBLE_PATIENT'));
    assert.ok(at >= 0, 'the document carries INVISIBLE_PATIENT');
    const visible = await patch(claire, url, [{ op: 'replace', path: `/securityLabel/${at}`, value: { coding: [{ system: V3_CONFIDENTIALITY, code: 'N', display: 'normal' }] } }]);
    assert.equal(visible.statusCode, 200, visible.body);
    assert.equal(visible.json().resourceType, 'DocumentReference');
    assert.equal((await stateOf()).hiddenFromPatient, false);
    assert.ok((await history()).some((e) => e.action === 'make-visible' && e.allowed && e.actorId === CLAIRE_MARTIN));
    // Hiding it again, once visible: no rule allows it.
    const hide = await patch(claire, url, [{ op: 'add', path: '/securityLabel/-', value: { coding: [{ system: TRE_A07, code: 'INVISIBLE_PATIENT' }] } }]);
    assert.equal(hide.statusCode, 422, hide.body);
    // TD3.3a: masking is the patient's decision (DOMAIN §4): the policy refuses it, traced.
    const mask = await patch(claire, url, [{ op: 'replace', path: '/securityLabel/0', value: { coding: [{ system: TRE_A07, code: 'MASQUE_PS' }] } }]);
    assert.equal(mask.statusCode, 403, mask.body);
    assert.equal(mask.json().resourceType, 'OperationOutcome');
    assert.ok((await history()).some((e) => e.action === 'mask' && !e.allowed && e.actorId === CLAIRE_MARTIN));
    assert.equal((await stateOf()).masked, false);
    // Only status and securityLabel are updated (PDSm st_maj: 405); archiving is not offered; only JSON Patch is read.
    assert.equal((await patch(claire, url, [{ op: 'replace', path: '/description', value: 'x' }])).statusCode, 405);
    const archive = "/extension[url:'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived']/valueBoolean";
    assert.equal((await patch(claire, url, [{ op: 'replace', path: archive, value: true }])).statusCode, 422);
    assert.equal((await patch(claire, url, { resourceType: 'Parameters' }, FHIR)).statusCode, 415);
    assert.equal((await patch(claire, `/fhir/DocumentReference/${documentFhirId({ recordId: randomUUID(), documentId: randomUUID(), version: 1 })}`, [{ op: 'replace', path: '/status', value: 'entered-in-error' }])).statusCode, 404);
    // TD3.3c: deletion (entered-in-error) by its author only, here by the business identifier (conditional patch).
    const notAuthor = await patch(julien, url, [{ op: 'replace', path: '/status', value: 'entered-in-error' }]);
    assert.equal(notAuthor.statusCode, 403, notAuthor.body);
    const conditionalUrl = `/fhir/DocumentReference?identifier=${encodeURIComponent(`urn:ietf:rfc:3986|${uniqueId}`)}&patient.identifier=${encodeURIComponent(`${ins.system}|${ins.value}`)}`;
    const superseded = await patch(claire, conditionalUrl, [{ op: 'replace', path: '/status', value: 'superseded' }]);
    assert.equal(superseded.statusCode, 422, superseded.body);
    const deleted = await patch(claire, conditionalUrl, [{ op: 'replace', path: '/status', value: 'entered-in-error' }]);
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.equal(deleted.json().status, 'entered-in-error');
    assert.ok((await history()).some((e) => e.action === 'delete' && e.allowed && e.actorId === CLAIRE_MARTIN));
    const rows = await t.ctx.database.db.withTables<DocumentTables>().selectFrom('document').select('status').where('record_id', '=', recordId).where('unique_id', '=', uniqueId).execute();
    assert.deepEqual(rows.map((r) => r.status), ['deleted']);
  });
});
