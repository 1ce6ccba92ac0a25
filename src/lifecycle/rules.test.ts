import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthProfileText, readmeText } from './copy-contents';
import {
  candidateClosedBefore,
  deletionConfirmed,
  destructionDate,
  dueForDestruction,
  isDueForDestruction,
  mayDestroyAtOnce,
  planCopy,
  safeFileName,
  type CopyDocument,
} from './rules';

const DAY = 24 * 3600_000;
const closedAt = new Date('2026-03-12T09:00:00Z');
const closed = (at: Date | null) => ({ status: 'closed' as const, closedAt: at });

describe('retention of a closed record', () => {
  it('destroys it ten calendar years after its closure, to the second', () => {
    assert.equal(destructionDate(closedAt).toISOString(), '2036-03-12T09:00:00.000Z');
    assert.equal(destructionDate(new Date('2028-02-29T12:00:00Z')).toISOString(), '2038-03-01T12:00:00.000Z');
    const tenYears = destructionDate(closedAt).getTime();
    assert.equal(isDueForDestruction(closed(closedAt), new Date(tenYears - DAY)), false, 'ten years minus a day');
    assert.equal(isDueForDestruction(closed(closedAt), new Date(tenYears - 1)), false, 'ten years minus a millisecond');
    assert.equal(isDueForDestruction(closed(closedAt), new Date(tenYears)), true, 'ten years to the millisecond');
    assert.equal(isDueForDestruction(closed(closedAt), new Date(tenYears + DAY)), true, 'ten years and a day');
  });

  it('never destroys an active record, nor one without a closing date', () => {
    const later = new Date('2100-01-01T00:00:00Z');
    assert.equal(isDueForDestruction({ status: 'active', closedAt }, later), false);
    assert.equal(isDueForDestruction(closed(null), later), false);
    assert.equal(isDueForDestruction(closed(new Date(Number.NaN)), later), false);
  });

  it('picks the due records, oldest closure first', () => {
    const now = new Date('2036-03-13T00:00:00Z');
    const records = [
      { recordId: 'b', status: 'closed' as const, closedAt: new Date('2020-01-01T00:00:00Z') },
      { recordId: 'c', status: 'closed' as const, closedAt: new Date('2026-03-14T00:00:00Z') },
      { recordId: 'a', status: 'closed' as const, closedAt },
      { recordId: 'd', status: 'active' as const, closedAt: null },
    ];
    assert.deepEqual(dueForDestruction(records, now).map((r) => r.recordId), ['b', 'a']);
  });

  it('gives the database a bound that never leaves a due record out', () => {
    for (const now of ['2036-03-12T09:00:00Z', '2036-02-29T00:00:00Z', '2037-03-01T00:00:00Z', '2036-12-31T23:59:59Z'].map((d) => new Date(d))) {
      for (let shift = -3 * DAY; shift <= 3 * DAY; shift += DAY / 4) {
        const at = new Date(now.getTime() - 10 * 365.25 * DAY + shift);
        if (isDueForDestruction(closed(at), now)) assert.ok(at <= candidateClosedBefore(now), `${at.toISOString()} at ${now.toISOString()}`);
      }
    }
  });
});

describe('definitive deletion at once', () => {
  it('is asked by typing SUPPRIMER, in any case, nothing else', () => {
    for (const typed of ['SUPPRIMER', ' supprimer ', 'Supprimer']) assert.equal(deletionConfirmed(typed), true, typed);
    for (const typed of ['', 'SUPPRIME', 'SUPPRIMER MON DMP', 'oui', 'SUPRIMER']) assert.equal(deletionConfirmed(typed), false, typed);
  });

  it('belongs to the titulaire only', () => {
    assert.equal(mayDestroyAtOnce('holder'), true);
    assert.equal(mayDestroyAtOnce('legal_representative'), false);
    assert.equal(mayDestroyAtOnce(null), false);
  });
});

describe('the copy of the record', () => {
  const doc = (documentId: string, title: string, careDate: string, format: CopyDocument['format'] = 'pdf', sizeBytes = 1000): CopyDocument => ({
    documentId,
    title,
    careDate,
    format,
    sizeBytes,
  });

  it('names each file after its care date and title, safely, without two alike', () => {
    const plan = planCopy([
      doc('2', 'Radio du genou', '2026-02-01', 'jpeg'),
      doc('1', 'Compte rendu', '2025-12-24', 'cda'),
      doc('3', 'Radio du genou', '2026-02-01', 'jpeg'),
      doc('4', 'RADIO DU GENOU', '2026-02-01', 'jpeg'),
      doc('5', '../../etc/passwd', '2026-03-01', 'text'),
    ]);
    assert.ok(plan.ok);
    assert.deepEqual(
      plan.files.map((f) => f.path),
      [
        'documents/2025-12-24 - Compte rendu.xml',
        'documents/2026-02-01 - Radio du genou.jpg',
        'documents/2026-02-01 - Radio du genou (2).jpg',
        'documents/2026-02-01 - RADIO DU GENOU (3).jpg',
        'documents/2026-03-01 - etc passwd.txt',
      ],
    );
  });

  it('keeps a title readable and harmless as a file name', () => {
    assert.equal(safeFileName('Bilan: sang/urine <2026> "à jeun"?'), 'Bilan sang urine 2026 à jeun');
    assert.equal(safeFileName('...'), 'document');
    assert.equal(safeFileName('\u0000\n\t'), 'document');
    assert.equal(Array.from(safeFileName('é'.repeat(300))).length, 80);
  });

  it('refuses politely past the size limit, and only past it', () => {
    assert.equal(planCopy([doc('1', 'a', '2026-01-01', 'pdf', 600), doc('2', 'b', '2026-01-01', 'pdf', 400)], 1000).ok, true);
    const refused = planCopy([doc('1', 'a', '2026-01-01', 'pdf', 600), doc('2', 'b', '2026-01-01', 'pdf', 401)], 1000);
    assert.deepEqual(refused, { ok: false, totalBytes: 1001, limit: 1000 });
  });

  it('writes the health profile and wishes as plain French text', () => {
    const entry = (kind: string, content: Record<string, unknown>) =>
      ({ entryId: kind, kind, content, author: { kind: 'patient', id: null }, createdAt: '', updatedAt: '' }) as never;
    const text = healthProfileText(
      [entry('allergy', { substance: 'Pénicilline', severity: 'grave' }), entry('condition', { label: 'Asthme\nsévère', since: '2019' })],
      { name: 'Dr Claire MARTIN', profession: 'Médecin', specialty: 'Médecine générale', workplace: 'Cabinet du Parc' },
      '12 mars 2026 à 10 h 00',
    );
    assert.ok(text.startsWith('\ufeffSANTÉ ET VOLONTÉS\r\n'));
    assert.match(text, /Dr Claire MARTIN, Médecine générale, Cabinet du Parc/);
    assert.match(text, /Allergies\r\n {2}- Allergie à : Pénicilline ; Gravité : grave\r\n/);
    assert.match(text, /- Maladie : Asthme sévère ; Depuis : 2019/);
    assert.match(text, /Vaccins\r\n {2}Rien d’indiqué\./);
  });

  it('says in its «read me» what is in it and what is not', () => {
    const holder = readmeText({ madeOn: '12 mars 2026 à 10 h 00', audience: 'holder', files: [{ path: 'documents/2026-02-01 - Radio.pdf', title: 'Radio', type: 'Imagerie', author: 'Claire MARTIN' }] });
    assert.match(holder, /COPIE DE MON DMP/);
    assert.match(holder, /- 2026-02-01 - Radio\.pdf : Radio, Imagerie, ajouté par Claire MARTIN/);
    assert.doesNotMatch(holder, /représentants/);
    assert.match(readmeText({ madeOn: 'x', audience: 'representative', files: [] }), /cachés aux représentants légaux/);
  });
});
