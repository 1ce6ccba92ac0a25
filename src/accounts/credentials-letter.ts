import { verifyAgainstDummy, verifyPassword } from './password-hash';
import type { AppContext } from '../platform';
import { AppError } from '../platform';
import { findInsuredPerson } from '../directory';
import { formatNir } from '../identity';
import { renderLetterPdf } from '../notify';
import { accountsDb, findAccount } from './store';

/**
 * The credentials letter (seed 000): identifier, initial password, INS and the
 * three steps to log in. The initial password is never stored in clear, so the
 * letter is made from what the person was just shown and sends back: it is
 * given only while that password is still the initial one and matches.
 */
export async function credentialsLetter(ctx: AppContext, loginId: string, password: string): Promise<Uint8Array> {
  const account = await findAccount(ctx, loginId.trim().toLowerCase());
  const ok = account ? await verifyPassword(account.password_hash, password) : await verifyAgainstDummy(password);
  if (!account || !ok || !account.password_is_initial) {
    throw new AppError(
      403,
      'letter-unavailable',
      'Courrier indisponible',
      'Le courrier ne peut être fait qu’avec le mot de passe provisoire, avant la première connexion.',
    );
  }
  const person = await findInsuredPerson(ctx, account.nir);
  const name = person ? `${person.firstNames.split(' ')[0]} ${person.usedName ?? person.birthName}` : '';
  return renderLetterPdf({
    recipient: {
      name,
      line: person?.address.line ?? '',
      postalCode: person?.address.postalCode ?? '',
      city: person?.address.city ?? '',
    },
    date: ctx.clock.now(),
    title: 'Vos codes d’accès à votre DMP',
    paragraphs: [
      'Votre Dossier Médical Partagé (DMP) est créé.',
      'Voici vos codes pour vous connecter. Gardez ce courrier en lieu sûr : ne le donnez à personne.',
    ],
    highlight: [
      { label: 'Identifiant', value: account.login_id },
      { label: 'Mot de passe provisoire', value: password },
      { label: 'Identifiant national de santé (INS)', value: formatNir(account.nir) },
    ],
    closing: [
      `1. Allez sur ${ctx.config.PUBLIC_URL} et choisissez « Accéder à mon DMP ».`,
      '2. Tapez votre identifiant et le mot de passe provisoire.',
      '3. Tapez le code à 8 chiffres reçu par SMS ou par mail. Ensuite, vous choisirez votre propre mot de passe.',
    ],
  });
}
