import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMON_FRENCH_PASSWORDS } from './common-passwords';
import { evaluatePassword, PASSWORD_MESSAGES, type PasswordContext } from './password-policy';

const marie: PasswordContext = {
  loginId: 'hup7510',
  names: ['Dupont', 'Marie-Hélène', 'Le Goff'],
  birthDate: '1985-05-17',
};

function refusedFor(password: string, message: string, context: PasswordContext = marie): void {
  const verdict = evaluatePassword(password, context);
  assert.equal(verdict.acceptable, false, `${password} should be refused`);
  assert.ok(verdict.problems.includes(message), `${password}: ${JSON.stringify(verdict.problems)}`);
  assert.ok(verdict.score <= 2, `${password}: a refused password shows a low score`);
  assert.equal(typeof verdict.advice, 'string');
}

function accepted(password: string, context: PasswordContext = marie): void {
  const verdict = evaluatePassword(password, context);
  assert.deepEqual(verdict.problems, [], `${password} should be accepted`);
  assert.equal(verdict.acceptable, true);
  assert.ok(verdict.score >= 3);
  assert.equal(verdict.advice, undefined);
}

describe('password policy: length', () => {
  it('asks for 12 characters and says how many there are', () => {
    refusedFor('Ga7#kq', 'Votre mot de passe doit contenir au moins 12 caractères (il en a 6).');
    refusedFor('xK9#mQ2vLp8', 'Votre mot de passe doit contenir au moins 12 caractères (il en a 11).');
    refusedFor('x', 'Votre mot de passe doit contenir au moins 12 caractères (il en a 1 seul).');
    refusedFor('', 'Choisissez un mot de passe d’au moins 12 caractères.');
  });

  it('accepts 12 characters, without any composition rule', () => {
    accepted('xK9#mQ2vLp8z');
    accepted('tortue girafe parapluie');
    accepted('tortuegirafeparapluie');
  });

  it('counts characters as people do: an accent or an emoji is one', () => {
    const verdict = evaluatePassword('é'.normalize('NFD').repeat(11));
    assert.ok(verdict.problems.includes('Votre mot de passe doit contenir au moins 12 caractères (il en a 11).'));
    const emoji = evaluatePassword('🐢🦒☂️🌵🍋🚲🎻');
    assert.match(emoji.problems[0] ?? '', /au moins 12 caractères \(il en a \d\)/);
  });

  it('accepts up to 128 characters and refuses more', () => {
    const long = 'tortue girafe parapluie cactus citron vélo violon '.repeat(3).slice(0, 128);
    accepted(long);
    const verdict = evaluatePassword(long + 'x');
    assert.equal(verdict.acceptable, false);
    assert.deepEqual(verdict.problems, ['Votre mot de passe ne doit pas dépasser 128 caractères (il en a 129).']);
    assert.equal(verdict.advice, undefined);
  });
});

describe('password policy: common passwords', () => {
  it('refuses the listed passwords, whatever their case or accents', () => {
    for (const p of ['motdepasse', 'MotDePasse', 'mot de passe', 'Mot-De-Passe', 'soleil', 'SOLEIL', 'azerty', 'liberté', 'Sécurité Sociale', 'carte vitale']) {
      refusedFor(p, PASSWORD_MESSAGES.common);
    }
  });

  it('refuses long enough listed passwords with that reason only', () => {
    for (const p of ['123456789012', 'azertyuiop', 'dossiermedicalpartage', 'assurancemaladie', 'mamanjetaime']) {
      const verdict = evaluatePassword(p);
      assert.equal(verdict.acceptable, false, p);
    }
    assert.deepEqual(evaluatePassword('dossier medical partage').problems, [PASSWORD_MESSAGES.common]);
  });

  it('refuses a common password decorated with digits, signs or letter swaps', () => {
    for (const p of ['Soleil2024!!', 'motdepasse123', 'azertyuiop12', 'P@ssw0rd1234', '2024chocolat!', 'Marseille13013', 's0le1l-2024-!', 'B0njour!!2025']) {
      refusedFor(p, PASSWORD_MESSAGES.commonDecorated);
    }
  });

  it('refuses a common word repeated', () => {
    refusedFor('doudoudoudou', PASSWORD_MESSAGES.common);
    refusedFor('doudou-doudou', PASSWORD_MESSAGES.common);
  });

  it('lists only folded entries, without duplicates', () => {
    assert.ok(COMMON_FRENCH_PASSWORDS.length >= 100);
    assert.equal(new Set(COMMON_FRENCH_PASSWORDS).size, COMMON_FRENCH_PASSWORDS.length);
    for (const p of COMMON_FRENCH_PASSWORDS) assert.match(p, /^[a-z0-9]+$/, p);
  });

  it('does not refuse a passphrase that merely contains a common word', () => {
    accepted('soleil tortue parapluie cactus');
    accepted('Le chaton mange une framboise bleue');
  });
});

describe('password policy: guessable', () => {
  it('refuses what zxcvbn rates under 3, saying why in plain words', () => {
    refusedFor('aaaaaaaaaaaaaaaa', 'Ce mot de passe est trop facile à deviner : il répète les mêmes caractères.');
    refusedFor('qsdfghjklmqsdf', 'Ce mot de passe est trop facile à deviner : il suit des touches voisines du clavier.');
    const sequence = evaluatePassword('abcdefghijklmnop');
    assert.equal(sequence.acceptable, false);
  });

  it('refuses French words alone and first names with a year', () => {
    refusedFor('bibliothèque', 'Ce mot de passe est trop facile à deviner : un mot seul se trouve dans tous les dictionnaires.');
    refusedFor('Informatique', 'Ce mot de passe est trop facile à deviner : un mot seul se trouve dans tous les dictionnaires.');
    refusedFor('Amandine1992', 'Ce mot de passe est trop facile à deviner : il repose sur des noms courants.');
    refusedFor('jeanpierre1975', 'Ce mot de passe est trop facile à deviner : il repose sur des noms courants.');
  });

  it('accepts random strings and passphrases of unrelated words', () => {
    accepted('cheval tulipe orange nuage');
    accepted('Trois-Pommes-Vertes-Dansent');
    accepted('jesuisunepatate');
    accepted('8fK!r2#Lw9qz');
  });

  it('gives one tip when refusing, none when accepting', () => {
    assert.equal(evaluatePassword('azertyazerty').advice, PASSWORD_MESSAGES.advice);
    assert.equal(evaluatePassword('cheval tulipe orange nuage').advice, undefined);
  });

  it('rates scores from 0 to 4', () => {
    assert.equal(evaluatePassword('').score, 0);
    assert.equal(evaluatePassword('cheval tulipe orange nuage').score, 4);
  });
});

describe('password policy: personal information', () => {
  it('refuses the login identifier, in any case', () => {
    refusedFor('hup7510-jardin-bleu', PASSWORD_MESSAGES.loginId);
    refusedFor('jardin HUP7510 bleu', PASSWORD_MESSAGES.loginId);
    refusedFor('jardin hup 7510 bleu', PASSWORD_MESSAGES.loginId);
  });

  it('refuses each name part of 3 letters or more, ignoring case, accents and letter swaps', () => {
    refusedFor('DUPONTjardinbleu', PASSWORD_MESSAGES.name);
    refusedFor('jardin-dupont-bleu', PASSWORD_MESSAGES.name);
    refusedFor('helene-tortue-cactus', PASSWORD_MESSAGES.name);
    refusedFor('HÉLÈNE tortue cactus', PASSWORD_MESSAGES.name);
    refusedFor('mariehelene tortue', PASSWORD_MESSAGES.name);
    refusedFor('tortue-goff-cactus', PASSWORD_MESSAGES.name);
    refusedFor('tortue-legoff-cactus', PASSWORD_MESSAGES.name);
    refusedFor('L3G0FF-tortue-rouge', PASSWORD_MESSAGES.name);
    refusedFor('dup0nt tortue cactus', PASSWORD_MESSAGES.name);
  });

  it('ignores name parts of fewer than 3 letters', () => {
    accepted('legume tortue cactus', { names: ['Le Goff'] }); // "le" alone is not refused
    accepted('tortue-li-cactus-orange', { names: ['Li'] });
  });

  it('refuses the birth date in its usual forms', () => {
    for (const p of ['tortue-cactus-1985', 'tortue19850517cactus', 'tortue17051985cactus', 'tortue 17/05/1985 cactus', 'tortue-17-05-cactus', 'tortue170585cactus', 'tortue850517cactus', 'tortue 17.05 cactus']) {
      refusedFor(p, PASSWORD_MESSAGES.birthDate);
    }
  });

  it('does not refuse other dates, and ignores a malformed birth date', () => {
    accepted('tortue-cactus-1986-girafe');
    accepted('tortue-cactus-1985-girafe', { birthDate: '17/05/1985' });
  });

  it('lists every reason at once', () => {
    const verdict = evaluatePassword('Dupont1985', marie);
    assert.deepEqual(verdict.problems, [
      'Votre mot de passe doit contenir au moins 12 caractères (il en a 10).',
      PASSWORD_MESSAGES.name,
      PASSWORD_MESSAGES.birthDate,
    ]);
  });

  it('works without any context', () => {
    accepted('tortue-dupont-1985-cactus', {});
    assert.equal(evaluatePassword('tortue-dupont-1985-cactus').acceptable, true);
  });
});

describe('password policy: cost', () => {
  it('stays fast on hostile input (zxcvbn looks at 64 characters at most)', () => {
    evaluatePassword('warm-up');
    for (const p of ['Aa1!'.repeat(32), '@4$5|1'.repeat(21), 'a'.repeat(128)]) {
      const start = performance.now();
      evaluatePassword(p);
      const ms = performance.now() - start;
      assert.ok(ms < 1500, `${p.slice(0, 12)}… took ${ms.toFixed(0)} ms`);
    }
  });
});
