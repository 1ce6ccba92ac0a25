import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadDemoDirectoriesIfEmpty } from '../src/directory/demo';
import type { TestClient } from './helpers/client';
import { startTestApp, type TestApp } from './helpers/context';
import { DOMINIQUE, signedInPatient } from './helpers/patients';

const NICOLAS = { nir: '185054958815725', serial: '1242687940214477', email: 'nicolas.durand@example.com' };
const FATIMA = { nir: '278029935000801', serial: '1619813652925054', email: 'fatima.elamrani@example.net' };

/** One valid content per kind, a change of it, and a word of it that must never be stored in clear. */
const SAMPLES = {
  condition: { add: { label: 'Asthme allergique', since: '2019' }, change: { label: 'Asthme allergique', since: '2019-04', note: 'Crises au printemps' }, secret: 'Asthme' },
  allergy: { add: { substance: 'Pénicilline', reaction: 'Urticaire géante', severity: 'grave' }, change: { substance: 'Pénicilline', severity: 'modérée' }, secret: 'Urticaire' },
  treatment: { add: { medicine: 'Ventoline 100 µg', dosage: '2 bouffées si besoin', prescriber: 'Dr MARTIN' }, change: { medicine: 'Ventoline 100 µg', dosage: '1 bouffée' }, secret: 'Ventoline' },
  vaccination: { add: { vaccine: 'Grippe saisonnière', date: '2025-10-15', batch: 'LOT-X42' }, change: { vaccine: 'Grippe saisonnière', date: '2025-10-16', dose: '1re dose' }, secret: 'saisonni' },
  'organ-donation': { add: { choice: 'oui', note: 'Tous les organes' }, change: { choice: 'non-renseigné' }, secret: 'organes' },
  'trusted-person': { add: { name: 'Camille Lenoir', relationship: 'sœur', phone: '06 12 34 56 78', email: 'camille@example.org' }, change: { name: 'Camille Lenoir', relationship: 'sœur', phone: '+33612345679' }, secret: 'Lenoir' },
  'emergency-contact': { add: { name: 'Paul Verdier', relationship: 'voisin', phone: '01.45.67.89.10' }, change: { name: 'Paul Verdier', relationship: 'ami', phone: '0145678910' }, secret: 'Verdier' },
} as const;
type Kind = keyof typeof SAMPLES;

interface Entry {
  entryId: string;
  kind: Kind;
  content: Record<string, string>;
  author: { kind: string; id: string | null };
}

describe('health profile and wishes', () => {
  let t: TestApp;
  let client: TestClient;
  let recordId: string;
  const entriesUrl = () => `/api/records/${recordId}/health-profile/entries`;
  const profile = async () => {
    const res = await client.get(`/api/records/${recordId}/health-profile`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { entries: Record<Kind, Entry[]>; treatingDoctor: { name: string; profession: string } | null };
  };
  const add = (kind: string, content: unknown) => client.post(entriesUrl(), { kind, content });

  before(async () => {
    t = await startTestApp();
    await loadDemoDirectoriesIfEmpty(t.ctx);
    ({ client, recordId } = await signedInPatient(t, DOMINIQUE));
  });
  after(async () => t.close());

  it('starts empty, every kind listed, with the médecin traitant from the directory', async () => {
    const { entries, treatingDoctor } = await profile();
    assert.deepEqual(Object.keys(entries).sort(), Object.keys(SAMPLES).sort());
    for (const list of Object.values(entries)) assert.deepEqual(list, []);
    assert.deepEqual(treatingDoctor, { name: 'Dr Claire MARTIN', profession: 'Médecin', specialty: 'Médecine générale', workplace: 'Cabinet médical du Mail, Angers' });
  });

  for (const [kind, sample] of Object.entries(SAMPLES) as [Kind, (typeof SAMPLES)[Kind]][]) {
    it(`adds, lists, changes and deletes: ${kind}`, async () => {
      const added = await add(kind, sample.add);
      assert.equal(added.statusCode, 201, added.body);
      const entry = added.json() as Entry;
      assert.equal(entry.kind, kind);
      assert.deepEqual(entry.author, { kind: 'patient', id: null });
      assert.deepEqual((await profile()).entries[kind].map((e) => e.entryId), [entry.entryId]);

      const changed = await client.put(`${entriesUrl()}/${entry.entryId}`, { content: sample.change });
      assert.equal(changed.statusCode, 200, changed.body);
      const listed = (await profile()).entries[kind];
      assert.equal(listed.length, 1);
      for (const [field, value] of Object.entries(sample.change)) {
        if (field !== 'phone') assert.equal(listed[0]!.content[field], value, `${kind}.${field}`);
      }
      assert.ok(Object.keys(listed[0]!.content).every((f) => f in sample.change), 'fields left out of the change are gone');

      assert.equal((await client.request('DELETE', `${entriesUrl()}/${entry.entryId}`)).statusCode, 204);
      assert.deepEqual((await profile()).entries[kind], []);
      assert.equal((await client.request('DELETE', `${entriesUrl()}/${entry.entryId}`)).statusCode, 404, 'already deleted');
      assert.equal((await client.put(`${entriesUrl()}/${entry.entryId}`, { content: sample.change })).statusCode, 404);
    });
  }

  it('cleans what forms send: trimmed text, empty optional fields dropped, phone numbers compacted', async () => {
    const res = await add('emergency-contact', { name: '  Léa Moreau ', relationship: 'fille', phone: '06 11 22 33 44', email: '' });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().content, { name: 'Léa Moreau', relationship: 'fille', phone: '0611223344' });
    const allergy = await add('allergy', { substance: 'Arachide', reaction: null, severity: '' });
    assert.deepEqual(allergy.json().content, { substance: 'Arachide' });
    for (const e of [res.json(), allergy.json()]) await client.request('DELETE', `${entriesUrl()}/${e.entryId}`);
  });

  it('seals every entry at rest: the raw rows hold no plaintext, and a row moved to another entry does not open', async () => {
    const added: Entry[] = [];
    for (const [kind, sample] of Object.entries(SAMPLES)) added.push((await add(kind, sample.add)).json());
    const rows = await sql<{ entry_id: string; kind: string; content_sealed: Uint8Array }>`
      SELECT entry_id, kind, content_sealed FROM health_entry WHERE record_id = ${recordId}`.execute(t.ctx.database.db);
    assert.ok(rows.rows.length >= Object.keys(SAMPLES).length);
    for (const row of rows.rows) {
      const bytes = Buffer.from(row.content_sealed);
      for (const sample of Object.values(SAMPLES)) {
        assert.ok(!bytes.includes(Buffer.from(sample.secret)), `${row.kind}: no «${sample.secret}» in clear`);
        assert.ok(!bytes.toString('latin1').includes(sample.secret), `${row.kind}: not even in latin1`);
      }
    }
    // Copying one entry's ciphertext onto another is refused on read (bound to its entry id).
    const [a, b] = added;
    await sql`UPDATE health_entry SET content_sealed = (SELECT content_sealed FROM health_entry WHERE entry_id = ${a!.entryId})
      WHERE entry_id = ${b!.entryId}`.execute(t.ctx.database.db);
    assert.equal((await client.get(`/api/records/${recordId}/health-profile`)).statusCode, 500);
    await sql`DELETE FROM health_entry WHERE record_id = ${recordId}`.execute(t.ctx.database.db);
  });

  it('keeps one organ donation statement: a new one replaces it, the old row is kept deleted', async () => {
    const first = (await add('organ-donation', { choice: 'oui' })).json() as Entry;
    const second = await add('organ-donation', { choice: 'non', note: 'Je suis inscrite au registre des refus' });
    assert.equal(second.statusCode, 201, second.body);
    const listed = (await profile()).entries['organ-donation'];
    assert.deepEqual(listed.map((e) => e.content.choice), ['non']);
    const old = await sql<{ deleted_at: Date | null }>`SELECT deleted_at FROM health_entry WHERE entry_id = ${first.entryId}`.execute(t.ctx.database.db);
    assert.ok(old.rows[0]?.deleted_at, 'the replaced statement is deleted logically');
  });

  it('keeps one trusted person: a second one is refused until the first is changed or deleted', async () => {
    const first = await add('trusted-person', SAMPLES['trusted-person'].add);
    assert.equal(first.statusCode, 201, first.body);
    const second = await add('trusted-person', { name: 'Jean Dupuis', relationship: 'ami', phone: '0601020304' });
    assert.equal(second.statusCode, 409);
    assert.match(second.json().detail, /déjà une personne de confiance/);
    assert.deepEqual((await profile()).entries['trusted-person'].map((e) => e.content.name), ['Camille Lenoir']);
    assert.equal((await client.request('DELETE', `${entriesUrl()}/${first.json().entryId}`)).statusCode, 204);
    assert.equal((await add('trusted-person', { name: 'Jean Dupuis', relationship: 'ami', phone: '0601020304' })).statusCode, 201);
  });

  it('takes at most 3 people to warn in an emergency', async () => {
    for (const name of ['Un', 'Deux', 'Trois']) {
      const res = await add('emergency-contact', { name: `Contact ${name}`, relationship: 'ami', phone: '0601020304' });
      assert.equal(res.statusCode, 201, res.body);
    }
    const fourth = await add('emergency-contact', { name: 'Contact Quatre', relationship: 'ami', phone: '0601020304' });
    assert.equal(fourth.statusCode, 409);
    assert.match(fourth.json().detail, /3 personnes à prévenir/);
    assert.equal((await profile()).entries['emergency-contact'].length, 3);
  });

  it('holds the limits when people are added at the same moment', async () => {
    const contacts = (await profile()).entries['emergency-contact'];
    for (const c of contacts) await client.request('DELETE', `${entriesUrl()}/${c.entryId}`);
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => add('emergency-contact', { name: `Voisin ${n}`, relationship: 'voisin', phone: '0601020304' })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 201, 201, 409, 409, 409]);
    assert.equal((await profile()).entries['emergency-contact'].length, 3);
  });

  it('refuses wrong content with a French message next to each field, and writes nothing', async () => {
    const before = await profile();
    const cases: [string, unknown, string, RegExp][] = [
      ['allergy', { reaction: 'Œdème' }, 'content.substance', /Écrivez ce qui vous donne une allergie/],
      ['allergy', { substance: 'Latex', severity: 'terrible' }, 'content.severity', /légère, modérée ou grave/],
      ['vaccination', { vaccine: 'DTP' }, 'content.date', /date du vaccin/],
      ['vaccination', { vaccine: 'DTP', date: '2025-02-30' }, 'content.date', /AAAA-MM-JJ/],
      ['vaccination', { vaccine: 'DTP', date: '2027-01-01' }, 'content.date', /futur/],
      ['condition', { label: 'Diabète', since: 'hier' }, 'content.since', /année/],
      ['condition', { label: 'x'.repeat(201) }, 'content.label', /200 caractères/],
      ['trusted-person', { name: 'Jean', relationship: 'frère', phone: '12' }, 'content.phone', /numéro de téléphone/],
      ['emergency-contact', { name: 'Jean', relationship: 'frère', phone: '0601020304', email: 'jean@' }, 'content.email', /adresse mail/],
      ['organ-donation', { choice: 'peut-être' }, 'content.choice', /Choisissez une réponse/],
      ['treatment', 'Doliprane', 'content', /contenu/],
      ['surgery', { label: 'Appendicite' }, 'kind', /rubrique/],
    ];
    for (const [kind, content, field, message] of cases) {
      const res = await add(kind, content);
      assert.equal(res.statusCode, 400, `${kind} ${JSON.stringify(content)}: ${res.body}`);
      const error = res.json().errors.find((e: { field: string }) => e.field === field);
      assert.ok(error, `${field} is named in ${res.body}`);
      assert.match(error.message, message);
    }
    const entry = (await add('condition', { label: 'Migraine' })).json() as Entry;
    const bad = await client.put(`${entriesUrl()}/${entry.entryId}`, { content: { label: '' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errors[0].field, 'content.label');
    const after = await profile();
    assert.deepEqual(after.entries.condition.map((e) => e.content.label), [...before.entries.condition.map((e) => e.content.label), 'Migraine']);
  });

  it('refuses someone else’s record, an unknown entry and a visitor who is not signed in', async () => {
    const other = await signedInPatient(t, FATIMA);
    const mine = (await add('allergy', { substance: 'Aspirine' })).json() as Entry;
    assert.equal((await other.client.get(`/api/records/${recordId}/health-profile`)).statusCode, 403);
    assert.equal((await other.client.post(entriesUrl(), { kind: 'allergy', content: { substance: 'Latex' } })).statusCode, 403);
    assert.equal((await other.client.put(`${entriesUrl()}/${mine.entryId}`, { content: { substance: 'Latex' } })).statusCode, 403);
    assert.equal((await other.client.request('DELETE', `${entriesUrl()}/${mine.entryId}`)).statusCode, 403);
    // Her own record does not reach Dominique's entries either.
    const theirs = `/api/records/${other.recordId}/health-profile/entries/${mine.entryId}`;
    assert.equal((await other.client.put(theirs, { content: { substance: 'Latex' } })).statusCode, 404);
    assert.equal((await other.client.request('DELETE', theirs)).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/records/${recordId}/health-profile` })).statusCode, 401);
    assert.equal((await client.post(entriesUrl(), { kind: 'allergy', content: { substance: 'x' } }, { csrf: false })).statusCode, 403, 'CSRF');
    assert.deepEqual((await profile()).entries.allergy.map((e) => e.content.substance), ['Aspirine']);
  });

  it('lets a parent fill in the child’s record, as its legal representative', async () => {
    const parent = await signedInPatient(t, NICOLAS);
    const [child] = (await parent.client.get('/api/me/eligible-children')).json().children;
    const created = await parent.client.post('/api/me/children-records', { nir: child.nir, consent: true });
    assert.equal(created.statusCode, 201, created.body);
    const childRecord = created.json().recordId;
    const res = await parent.client.post(`/api/records/${childRecord}/health-profile/entries`, { kind: 'vaccination', content: { vaccine: 'ROR', date: '2016-03-08' } });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().author, { kind: 'representative', id: null });
    const rows = await sql<{ author_kind: string; author_id: string }>`
      SELECT author_kind, author_id FROM health_entry WHERE entry_id = ${res.json().entryId}`.execute(t.ctx.database.db);
    assert.deepEqual(rows.rows, [{ author_kind: 'representative', author_id: parent.loginId }]);
    const listed = (await parent.client.get(`/api/records/${childRecord}/health-profile`)).json();
    assert.deepEqual(listed.entries.vaccination.map((e: Entry) => e.content.vaccine), ['ROR']);
    assert.equal((await client.get(`/api/records/${childRecord}/health-profile`)).statusCode, 403, 'not Dominique’s');
  });
});
