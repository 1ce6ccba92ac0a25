/**
 * The readable files of the copy of a record: the health profile and wishes, and a «read me»
 * saying what the copy holds. Pure: facts in, text out. Plain text in UTF-8 with a byte order
 * mark and CRLF line ends, so that any computer's text editor shows the accents.
 */
import type { HealthEntry } from '../documents';
import type { HealthEntryKind } from '../documents';

type Field = readonly [name: string, label: string];

const SECTIONS: readonly { kind: HealthEntryKind; title: string; fields: readonly Field[] }[] = [
  { kind: 'condition', title: 'Maladies et problèmes de santé', fields: [['label', 'Maladie'], ['since', 'Depuis'], ['note', 'Note']] },
  { kind: 'allergy', title: 'Allergies', fields: [['substance', 'Allergie à'], ['reaction', 'Réaction'], ['severity', 'Gravité']] },
  { kind: 'treatment', title: 'Traitements', fields: [['medicine', 'Médicament'], ['dosage', 'Dose'], ['since', 'Depuis'], ['prescriber', 'Prescrit par']] },
  { kind: 'vaccination', title: 'Vaccins', fields: [['vaccine', 'Vaccin'], ['date', 'Date'], ['dose', 'Dose'], ['batch', 'Lot']] },
  { kind: 'organ-donation', title: 'Don d’organes', fields: [['choice', 'Réponse'], ['note', 'Note']] },
  { kind: 'trusted-person', title: 'Personne de confiance', fields: [['name', 'Nom'], ['relationship', 'Lien'], ['phone', 'Téléphone'], ['email', 'Mail']] },
  {
    kind: 'emergency-contact',
    title: 'Personnes à prévenir en cas d’urgence',
    fields: [['name', 'Nom'], ['relationship', 'Lien'], ['phone', 'Téléphone'], ['email', 'Mail']],
  },
];

const BOM = '\ufeff';
const lines = (all: readonly string[]) => BOM + all.join('\r\n') + '\r\n';
/** One line of the file: no line break can come from a value. */
const oneLine = (value: unknown) => String(value).replace(/\s+/g, ' ').trim();

export interface TreatingDoctorFacts {
  name: string;
  profession: string;
  specialty: string | null;
  workplace: string;
}

/** «Ma santé» and «Volontés et droits», as a text to read or print. */
export function healthProfileText(entries: readonly HealthEntry[], treatingDoctor: TreatingDoctorFacts | null, madeOn: string): string {
  const out = ['SANTÉ ET VOLONTÉS', `Copie du DMP faite le ${madeOn} (heure de Paris).`, ''];
  out.push('Médecin traitant');
  out.push(
    treatingDoctor
      ? `  ${[treatingDoctor.name, treatingDoctor.specialty ?? treatingDoctor.profession, treatingDoctor.workplace].filter(Boolean).map(oneLine).join(', ')}`
      : '  Aucun médecin traitant déclaré.',
  );
  for (const section of SECTIONS) {
    out.push('', section.title);
    const mine = entries.filter((e) => e.kind === section.kind);
    if (mine.length === 0) out.push('  Rien d’indiqué.');
    for (const entry of mine) {
      const content = entry.content as Record<string, unknown>;
      const said = section.fields.filter(([name]) => content[name] !== undefined && content[name] !== '').map(([name, label]) => `${label} : ${oneLine(content[name])}`);
      out.push(`  - ${said.join(' ; ')}`);
    }
  }
  return lines(out);
}

export interface CopyFileFacts {
  path: string;
  title: string;
  type: string | null;
  author: string;
}

/** What the copy holds, where, and what it leaves out. */
export function readmeText(input: { madeOn: string; files: readonly CopyFileFacts[]; audience: 'holder' | 'representative' }): string {
  const { madeOn, files, audience } = input;
  const mine = audience === 'holder' ? 'mon DMP' : 'ce DMP';
  const out = [
    `COPIE DE ${mine.toUpperCase()}`,
    `Faite le ${madeOn} (heure de Paris).`,
    '',
    'Cette copie contient :',
    `- le dossier « documents » : ${files.length === 0 ? 'aucun document' : files.length === 1 ? 'le document' : `les ${files.length} documents`} de ${mine}, tels qu’ils ont été déposés. Le nom de chaque fichier commence par la date des soins.`,
    '- sante-et-volontes.txt : maladies, allergies, traitements, vaccins, don d’organes, personne de confiance, personnes à prévenir. Le fichier sante-et-volontes.json contient la même chose, pour un logiciel.',
    `- historique-des-acces.csv : tout l’historique des accès à ${mine}. Il s’ouvre avec un tableur.`,
    '',
    'Ne sont pas dans cette copie :',
    '- les documents qu’un professionnel de santé doit d’abord expliquer, tant qu’il ne les a pas rendus visibles ;',
    audience === 'representative' ? '- les documents cachés aux représentants légaux ;' : null,
    '- les anciennes versions des documents remplacés, et les documents supprimés.',
    '',
    'Ces fichiers contiennent des informations de santé. Gardez-les en lieu sûr.',
  ].filter((line): line is string => line !== null);
  if (files.length) {
    out.push('', 'Liste des documents :');
    for (const f of files) out.push(`- ${f.path.replace(/^documents\//, '')} : ${[oneLine(f.title), f.type, `ajouté par ${oneLine(f.author)}`].filter(Boolean).join(', ')}`);
  }
  return lines(out);
}
