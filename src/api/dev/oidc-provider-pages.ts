/**
 * The development provider's pages: plain HTML in French, styled after the State design system,
 * with no script and nothing loaded from elsewhere, so that they work under the service's
 * Content-Security-Policy (no inline script; forms post to our own origin).
 */
import { findSpecialty, professionLabel } from '../../directory';
import type { DirectoryProfessional } from '../../accounts';
import { DEV_OIDC_PATH } from '../../accounts';

const STYLE = `
body{margin:0;font-family:Marianne,Arial,sans-serif;color:#161616;background:#f6f6f6;line-height:1.5}
header{background:#fff;border-bottom:1px solid #ddd;padding:1rem 2rem}
header p{margin:0;font-weight:700}
main{max-width:48rem;margin:2rem auto;padding:0 1rem}
.notice{background:#fee7fc;border-left:4px solid #6e445a;padding:.75rem 1rem;margin-bottom:1.5rem}
.error{background:#ffe9e9;border-left:4px solid #ce0500;padding:.75rem 1rem;margin-bottom:1.5rem}
ul{list-style:none;padding:0}
li{margin:.5rem 0}
button{font:inherit;cursor:pointer}
.card{display:block;width:100%;text-align:left;background:#fff;border:1px solid #ddd;padding:.75rem 1rem}
.card:hover,.card:focus{border-color:#000091;outline:2px solid #000091}
.card strong{color:#000091}
.primary{background:#000091;color:#fff;border:0;padding:.5rem 1.5rem}
.secondary{background:#fff;color:#000091;border:1px solid #000091;padding:.5rem 1.5rem}
label{display:block;font-weight:700;margin-top:1rem}
input{font:inherit;padding:.5rem;border:0;border-bottom:2px solid #3a3a3a;background:#eee;margin:.25rem 0 .75rem}
`;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} – Pro Santé Connect (développement)</title><style>${STYLE}</style></head>
<body>
<header><p>Pro Santé Connect <small>(fournisseur de développement)</small></p></header>
<main>
<p class="notice">Environnement de développement : cette page remplace Pro Santé Connect, qui demanderait
votre carte CPS ou votre e-CPS. Elle n’existe pas en production.</p>
${body}
</main>
</body>
</html>`;
}

/** « Dr Claire MARTIN » for doctors and dentists, « Claire MARTIN » otherwise. */
export function displayName(row: Pick<DirectoryProfessional, 'firstName' | 'lastName' | 'professionCode'>): string {
  const title = row.professionCode === 'G15_10' || row.professionCode === 'G15_40' ? 'Dr ' : '';
  return `${title}${row.firstName} ${row.lastName}`;
}

function describe(row: DirectoryProfessional): string {
  const profession = professionLabel(row.professionCode) ?? row.professionCode;
  const specialty = row.specialtyCode ? findSpecialty(row.professionCode, row.specialtyCode)?.label : undefined;
  return [specialty ? `${profession}, ${specialty}` : profession, row.workplaceName, `RPPS ${row.rpps}`].join(' – ');
}

export function chooserPage(uid: string, professionals: DirectoryProfessional[], error?: string): string {
  const action = (what: string) => escapeHtml(`${DEV_OIDC_PATH}/interaction/${uid}/${what}`);
  const cards = professionals
    .map(
      (row) => `<li><button class="card" type="submit" name="rpps" value="${escapeHtml(row.rpps)}">
<strong>${escapeHtml(displayName(row))}</strong><br><span>${escapeHtml(describe(row))}</span></button></li>`,
    )
    .join('\n');
  return page(
    'Connexion',
    `<h1>Qui se connecte ?</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<p>Choisissez le professionnel de santé dont vous utilisez la carte CPS.</p>
<form method="post" action="${action('login')}">
<ul>
${cards || '<li>L’annuaire des professionnels est vide : chargez les données de démonstration.</li>'}
</ul>
</form>
<form method="post" action="${action('login')}">
<h2>Un autre numéro RPPS</h2>
<p>Pour essayer un professionnel absent de l’annuaire du DMP.</p>
<label for="rpps">Numéro RPPS (11 chiffres)</label>
<input id="rpps" name="rpps" inputmode="numeric" autocomplete="off" maxlength="14">
<br><button class="primary" type="submit">Se connecter avec ce numéro</button>
</form>
<form method="post" action="${action('abort')}">
<p><button class="secondary" type="submit">Annuler et revenir au DMP</button></p>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page(
    'Erreur',
    `<h1>La connexion n’a pas pu se faire</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p><a href="/pro">Revenir à l’espace professionnel du DMP</a></p>`,
  );
}
