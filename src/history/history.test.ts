import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULE_IDS } from '../access/types';
import { csvCell, historyCsv } from './history-export';
import { nextDay, parisDateTime, parisDayStart, ruleReason, toEntry, type HistoryView } from './history';
import { AUDIT_ACTIONS, type HistoryEvent } from '../audit/trail';

const holder: HistoryView = { viewerLoginId: 'hup7510', audience: 'holder' };
const representative: HistoryView = { viewerLoginId: 'mar1234', audience: 'representative' };
const DOC = '11111111-2222-4333-8444-555555555555';

function event(overrides: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    seq: 1,
    occurredAt: new Date('2026-03-12T09:42:00Z'), // 10 h 42 in Paris (winter time)
    actorKind: 'professional',
    actorId: '10003456789',
    action: 'open-document',
    documentId: DOC,
    rule: 'authorized-consent',
    allowed: true,
    personalState: 'open',
    personal: { actorName: 'Dr Claire Martin', profession: 'médecin généraliste', workplace: 'Cabinet des Lilas' },
    ...overrides,
  };
}

describe('history sentences', () => {
  it('tells a professional reading a document, with the reason, in Paris time', () => {
    const entry = toEntry(event(), holder, 'Compte rendu d’hospitalisation');
    assert.equal(
      entry.sentence,
      'Dr Claire Martin, médecin généraliste, a consulté votre document « Compte rendu d’hospitalisation » le 12 mars 2026 à 10 h 42, avec votre autorisation.',
    );
    assert.equal(entry.allowed, true);
    assert.equal(entry.workplace, 'Cabinet des Lilas');
    assert.equal(entry.whatLabel, 'Consultation d’un document');
  });

  it('marks a refusal and says why', () => {
    const entry = toEntry(event({ allowed: false, rule: 'blocked-professional' }), holder, 'Radio du genou');
    assert.equal(entry.allowed, false);
    assert.equal(
      entry.sentence,
      'Dr Claire Martin, médecin généraliste, a tenté de consulter votre document « Radio du genou » le 12 mars 2026 à 10 h 42, accès refusé : vous l’aviez bloqué.',
    );
    assert.equal(entry.reason, 'accès refusé : vous l’aviez bloqué');
  });

  it('gives the emergency reason', () => {
    const entry = toEntry(
      event({ action: 'emergency-access', documentId: null, rule: 'break-glass', personal: { actorName: 'Dr Paul Urgence', profession: 'G15_10', reason: 'patient inconscient' } }),
      holder,
    );
    assert.equal(
      entry.sentence,
      'Dr Paul Urgence, médecin, a ouvert un accès en urgence à votre DMP le 12 mars 2026 à 10 h 42, motif : « patient inconscient ».',
    );
  });

  it('gives the emergency reason on each read made in an emergency', () => {
    const entry = toEntry(event({ rule: 'break-glass', personal: { actorName: 'Dr Paul Urgence', reason: 'patient inconscient' } }), holder, 'Radio');
    assert.equal(entry.sentence, 'Dr Paul Urgence a consulté votre document « Radio » le 12 mars 2026 à 10 h 42, en urgence (bris de glace) : patient inconscient.');
  });

  it('says «Vous» for the reader’s own actions, and nothing about the rule', () => {
    const entry = toEntry(event({ actorKind: 'patient', actorId: 'hup7510', action: 'read-list', documentId: null, rule: 'titulaire', personal: null, personalState: 'none' }), holder);
    assert.equal(entry.sentence, 'Vous avez consulté la liste de vos documents le 12 mars 2026 à 10 h 42.');
    const password = toEntry(
      event({ actorKind: 'patient', actorId: 'hup7510', action: 'settings-changed', documentId: null, rule: 'titulaire', personal: { details: { setting: 'password' } } }),
      holder,
    );
    assert.equal(password.sentence, 'Vous avez changé votre mot de passe le 12 mars 2026 à 10 h 42.');
  });

  it('writes for a legal representative', () => {
    const entry = toEntry(event({ actorKind: 'representative', actorId: 'mar1234', action: 'deposit', rule: 'legal-representative', personal: null }), representative, 'Carnet de vaccination');
    assert.equal(
      entry.sentence,
      'Vous avez ajouté le document « Carnet de vaccination » à ce DMP le 12 mars 2026 à 10 h 42, en tant que représentant légal.',
    );
  });

  it('names an unknown document «un document» and a professional without a name by RPPS', () => {
    const entry = toEntry(event({ personal: null, personalState: 'unreadable', rule: 'care-team' }), holder, null);
    assert.equal(
      entry.sentence,
      'Un professionnel de santé (RPPS 10003456789) a consulté un document le 12 mars 2026 à 10 h 42, en tant que membre de votre équipe de soins.',
    );
  });

  it('names the professional a patient blocked or unblocked', () => {
    const you = { actorKind: 'patient', actorId: 'hup7510', documentId: null, rule: 'titulaire' } as const;
    assert.equal(
      toEntry(event({ ...you, action: 'block', personal: { details: { rpps: '10001234565' } } }), holder).sentence,
      'Vous avez bloqué l’accès du professionnel de santé RPPS 10001234565 à votre DMP le 12 mars 2026 à 10 h 42.',
    );
    assert.equal(
      toEntry(event({ ...you, action: 'authorization-revoked', personal: { details: { professionalName: 'Dr Jean Dupont', rpps: '10001234565' } } }), holder).sentence,
      'Vous avez retiré l’autorisation d’accès de Dr Jean Dupont à votre DMP le 12 mars 2026 à 10 h 42.',
    );
  });

  it('tells a failed login as an attempt', () => {
    const entry = toEntry(event({ actorKind: 'patient', actorId: 'hup7510', action: 'login-failed', allowed: false, documentId: null, rule: 'wrong-password', personal: null }), holder);
    assert.equal(entry.sentence, 'Vous avez tenté d’ouvrir une session sur Mon DMP le 12 mars 2026 à 10 h 42, accès refusé : identifiant, mot de passe ou code incorrect.');
    assert.equal(entry.allowed, false);
  });

  it('has a sentence for every action, allowed or refused', () => {
    for (const action of AUDIT_ACTIONS) {
      for (const allowed of [true, false]) {
        const s = toEntry(event({ action, allowed }), holder, 'Titre').sentence;
        assert.match(s, /^[A-ZÉ].+ le 12 mars 2026 à 10 h 42.*\.$/, `${action} ${allowed}: ${s}`);
        assert.doesNotMatch(s, /undefined|null|\[object/, s);
      }
    }
  });

  it('has a short reason for every rule of the access policy', () => {
    for (const rule of RULE_IDS) {
      const allowed = ruleReason(rule, true, null, false);
      const refused = ruleReason(rule, false, null, false);
      assert.ok(allowed && allowed.length > 3, rule);
      assert.match(refused ?? '', /^accès refusé : ./, rule);
    }
    assert.equal(ruleReason('no-such-rule', false), 'accès refusé');
    assert.equal(ruleReason('no-such-rule', true), null);
  });
});

describe('Paris time', () => {
  it('formats with «1er», hours without a leading zero, summer time', () => {
    assert.equal(parisDateTime(new Date('2026-04-01T07:05:00Z')), '1er avril 2026 à 9 h 05');
    assert.equal(parisDateTime(new Date('2026-03-28T23:30:00Z')), '29 mars 2026 à 0 h 30');
  });

  it('finds the start of a day in Paris, in winter and in summer', () => {
    assert.equal(parisDayStart('2026-01-15').toISOString(), '2026-01-14T23:00:00.000Z');
    assert.equal(parisDayStart('2026-07-15').toISOString(), '2026-07-14T22:00:00.000Z');
    assert.equal(parisDayStart('2026-03-29').toISOString(), '2026-03-28T23:00:00.000Z'); // the day summer time starts
    assert.equal(parisDayStart('2026-10-25').toISOString(), '2026-10-24T22:00:00.000Z'); // the day it ends
    assert.equal(nextDay('2026-02-28'), '2026-03-01');
    assert.equal(nextDay('2026-12-31'), '2027-01-01');
  });
});

describe('CSV', () => {
  it('quotes what must be, and defuses formulas', () => {
    assert.equal(csvCell('simple'), 'simple');
    assert.equal(csvCell('a;b'), '"a;b"');
    assert.equal(csvCell('dit "non"'), '"dit ""non"""');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell(null), '');
  });

  it('starts with a BOM, has French headers and one line per event', () => {
    const csv = historyCsv([toEntry(event(), holder, 'Radio'), toEntry(event({ seq: 2, allowed: false, rule: 'blocked-professional' }), holder, 'Radio')]);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^N°;Date et heure \(heure de Paris\);Qui;/);
    assert.match(lines[1]!, /^1;12\/03\/2026 10:42;Dr Claire Martin;médecin généraliste;/);
    assert.match(lines[2]!, /;Refusé;accès refusé : vous l’aviez bloqué;/);
  });
});
