import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutboxMessage } from './outbox';
import { formatFrenchDate, renderEmail, renderLetter, renderPreview, renderSms, SMS_MAX_LENGTH, toGsm7 } from './templates';

const options = { siteUrl: 'https://mondmp.example.fr' };
const email = { email: 'camille.durand@example.fr' };
const mobile = { mobile: '+33612345678' };
const postal = { postal: { name: 'Camille Durand', line: '12 rue des Lilas', postalCode: '75011', city: 'Paris' } };

const samples: OutboxMessage[] = [
  { kind: 'creation-code', to: email, data: { code: 'RMGADQEP2KRG', firstName: 'Camille', lastName: 'Durand', expiresOn: '2026-04-01' } },
  { kind: 'creation-code', to: postal, data: { code: 'RMGADQEP2KRG', firstName: 'Camille', lastName: 'Durand', expiresOn: '2026-04-12' } },
  { kind: 'login-code', to: mobile, data: { code: '48213907', validMinutes: 10 } },
  { kind: 'login-code', to: email, data: { code: '48213907', validMinutes: 10 } },
  { kind: 'password-reset-code', to: mobile, data: { code: '55120934' } },
  { kind: 'password-reset-code', to: email, data: { code: '55120934', validMinutes: 15 } },
  { kind: 'contact-change-code', to: mobile, data: { code: '77310254' } },
  { kind: 'contact-change-code', to: email, data: { code: '77310254' } },
  { kind: 'desk-login-code', to: { email: 'sophie.roux@cpam-rhone.example.fr' }, data: { code: '30418265', validMinutes: 10 } },
  { kind: 'caregiver-invitation', to: email, data: { code: 'K7QZ2MWX9PLA', firstName: 'Camille', lastName: 'Durand', patientName: 'Dominique PAT-TROIS', expiresOn: '2026-04-15', link: 'https://mondmp.example.fr/aidant' } },
  { kind: 'notification', to: email, data: { title: 'Un document a été ajouté à votre dossier', body: 'Un professionnel de santé a ajouté un document.', link: 'https://mondmp.example.fr/dossier' } },
  { kind: 'notification', to: mobile, data: { title: 'Un document a été ajouté à votre dossier', body: 'Un professionnel de santé a ajouté un document.', link: 'https://mondmp.example.fr/dossier' } },
];

const GARBAGE = /undefined|null|NaN|\[object /;
const codeOf = (m: OutboxMessage) => ('code' in m.data ? m.data.code : undefined);

describe('message templates', () => {
  for (const m of samples) {
    const channel = Object.keys(m.to)[0];
    it(`${m.kind} by ${channel}: complete French text with the code`, () => {
      const preview = renderPreview(m, options);
      assert.doesNotMatch(preview.text, GARBAGE);
      assert.doesNotMatch(preview.subject ?? '', GARBAGE);
      const code = codeOf(m);
      if (code) assert.ok(preview.text.replaceAll(' ', '').includes(code), 'the code is in the text');
      if (channel === 'mobile') {
        const sms = renderSms(m, options);
        assert.ok(sms.length <= SMS_MAX_LENGTH, `SMS of ${sms.length} characters`);
        assert.equal(toGsm7(sms), sms, 'only GSM 7-bit characters (one SMS, not UCS-2)');
        assert.match(sms, /^Mon DMP : /);
      }
      if (channel === 'email') {
        const mail = renderEmail(m, options);
        assert.doesNotMatch(mail.html, GARBAGE);
        assert.match(mail.html, /<html lang="fr">/);
        assert.match(mail.text, /Mon DMP — Dossier Médical Partagé/);
        if (code) assert.ok(mail.html.includes(code.replace(/(.{4})(?=.)/g, '$1 ')) || mail.html.includes(code));
      }
      if (channel === 'postal') {
        const letter = renderLetter(m, options);
        assert.ok(letter.highlight.length > 0);
        assert.ok(letter.closing.some((p) => p.includes(options.siteUrl)), 'says where to go');
      }
    });
  }

  it('gives the creation code in groups of four and the date in French', () => {
    const text = renderEmail(samples[0]!, options).text;
    assert.match(text, /RMGA DQEP 2KRG/);
    assert.match(text, /1er avril 2026/);
    assert.equal(formatFrenchDate('2026-04-12'), '12 avril 2026');
    assert.equal(formatFrenchDate(new Date('2026-02-28T23:30:00Z')), '1er mars 2026', 'Paris time');
  });

  it('escapes what it puts into HTML', () => {
    const m: OutboxMessage = { kind: 'notification', to: email, data: { title: '<b>x</b>', body: 'a & "b"', link: 'https://x.fr/?a=1&b=2' } };
    const { html } = renderEmail(m, options);
    assert.ok(!html.includes('<b>x</b>'));
    assert.match(html, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.match(html, /href="https:\/\/x\.fr\/\?a=1&amp;b=2"/);
  });

  it('keeps a notification SMS to one message, link included', () => {
    const long = 'Un accès en urgence à votre dossier a été enregistré par un établissement de santé, consultez l’historique ' + 'x'.repeat(100);
    const m: OutboxMessage = { kind: 'notification', to: mobile, data: { title: long, body: 'b', link: 'https://mondmp.example.fr/historique' } };
    const sms = renderSms(m, options);
    assert.ok(sms.length <= SMS_MAX_LENGTH);
    assert.ok(sms.endsWith('https://mondmp.example.fr/historique'));
    assert.match(sms, /\.\.\. Plus d'informations/);
  });

  it('writes SMS in GSM 7-bit characters', () => {
    assert.equal(toGsm7('l’accès « très » rapide — fenêtre'), 'l\'accès "très" rapide - fenetre');
    assert.equal(toGsm7('garçon Łukasz 😀'), 'garcon Lukasz ?');
  });

  it('has no SMS for a creation code (email or letter only)', () => {
    assert.throws(() => renderSms(samples[0]!, options), /no SMS template/);
  });
});
