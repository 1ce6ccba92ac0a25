/**
 * A metadata update of a DocumentReference as PDSm asks for it (pure). ANS PDSm st_maj (Flux
 * 03): a JSON Patch (RFC 6902) restricted to `status`, `securityLabel` and the PDSm_IsArchived
 * extension, anything else being 405; PDSm4DMP says what each change means for the DMP:
 * TD3.3a masking / unmasking from professionals (securityLabel MASQUE_PS, or N), TD3.3b making
 * visible to the patient (INVISIBLE_PATIENT replaced by N), TD3.3c deletion (status
 * entered-in-error), TD3.3d archiving (the extension).
 * The patch is applied to the resource as this server writes it; what changed between the two
 * is what is asked, each change then decided by the policy (document-updates.ts).
 */
import { AppError } from '../../platform';
import { readSecurityLabels, type CodeableLike } from './intake-codes';

export interface PatchableMetadata {
  status: string;
  securityLabel: unknown[];
}

/** What a patch asks of the document, once applied and compared. */
export interface AskedChanges {
  delete: boolean;
  /** True: mask from professionals; false: unmask; absent: unchanged. */
  masked?: boolean;
  makeVisibleToPatient: boolean;
}

const ARCHIVED_EXTENSION = /^\/extension(\/|\[)/;

/** Applies a JSON Patch to the two elements a producer may update; 405 or 422 (naming the operation) otherwise. */
export function applyMetadataPatch(current: PatchableMetadata, body: unknown): PatchableMetadata {
  if (!Array.isArray(body) || body.length === 0) throw refused(422, 'Le corps est un JSON Patch : une liste d’opérations (op, path, value).', 'Parameters');
  const doc = { status: current.status, securityLabel: structuredClone(current.securityLabel) };
  for (const [i, raw] of body.entries()) {
    const at = `operation[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw refused(422, 'Une opération JSON Patch est un objet (op, path, value).', at);
    const { op, path, value } = raw as { op?: unknown; path?: unknown; value?: unknown };
    if (typeof path !== 'string' || !path.startsWith('/')) throw refused(422, 'Chaque opération a un chemin (path) JSON Pointer.', at);
    if (ARCHIVED_EXTENSION.test(path)) {
      throw refused(422, 'L’archivage d’un document (extension PDSm_IsArchived) n’est pas proposé par ce DMP.', `${at}.path`);
    }
    const [member, index, ...rest] = path.slice(1).split('/').map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    if ((member !== 'status' && member !== 'securityLabel') || rest.length || (member === 'status' && index !== undefined)) {
      throw refused(405, `Seuls DocumentReference.status et DocumentReference.securityLabel se mettent à jour (PDSm, flux 03) : « ${path} » ne se modifie pas.`, `${at}.path`);
    }
    if (op !== 'replace' && op !== 'add' && op !== 'remove' && op !== 'test') throw refused(422, `Opération non prise en charge : ${String(op)} (add, remove, replace, test).`, `${at}.op`);
    if (member === 'status') {
      if (op === 'test') {
        if (value !== doc.status) throw refused(422, `Le statut du document n’est pas « ${String(value)} ».`, at);
      } else if (op === 'remove' || typeof value !== 'string') throw refused(422, 'Le statut se remplace par une valeur (ex. entered-in-error).', at);
      else doc.status = value;
      continue;
    }
    doc.securityLabel = patchLabels(doc.securityLabel, op, index, value, at);
  }
  return doc;
}

function patchLabels(labels: unknown[], op: 'add' | 'remove' | 'replace' | 'test', index: string | undefined, value: unknown, at: string): unknown[] {
  if (index === undefined) {
    if (op === 'remove') return [];
    if (op === 'test') return labels;
    // The whole element: a list of labels, or one label (as some senders write it).
    if (Array.isArray(value)) return value;
    if (typeof value === 'object' && value !== null) return [value];
    throw refused(422, 'securityLabel se remplace par une liste de CodeableConcept.', `${at}.value`);
  }
  const position = index === '-' ? labels.length : /^(0|[1-9]\d*)$/.test(index) ? Number(index) : NaN;
  const within = op === 'add' ? position <= labels.length : position < labels.length;
  if (Number.isNaN(position) || !within) {
    // Replacing the first label of a document that has none adds it (PDSm4DMP TD3.3a writes /securityLabel/0).
    if (op === 'replace' && position === 0 && labels.length === 0) return [value];
    throw refused(422, `Pas de securityLabel à l’indice ${index}.`, `${at}.path`);
  }
  const copy = [...labels];
  if (op === 'remove') copy.splice(position, 1);
  else if (op === 'add') copy.splice(position, 0, value);
  else if (op === 'replace') copy[position] = value;
  else if (JSON.stringify(copy[position]) !== JSON.stringify(value)) throw refused(422, `Le securityLabel ${index} n’est pas celui indiqué.`, at);
  return copy;
}

/**
 * What changed, as the DMP's actions. A change no action makes is refused (422, "refusé par la
 * règle métier" in the PDSm4DMP answers): superseding outside a replacement, hiding from the
 * patient a document already visible to them, the representatives' visibility, the
 * confidentiality level; none of them has a rule in the policy that could allow it.
 */
export function askedChanges(before: { status: string; masked: boolean; hiddenFromPatient: boolean; hiddenFromRepresentatives: boolean; confidentiality: string }, after: PatchableMetadata): AskedChanges {
  if (!after.securityLabel.every((l) => typeof l === 'object' && l !== null && Array.isArray((l as CodeableLike).coding))) {
    throw refused(422, 'Chaque securityLabel est un CodeableConcept (coding).', 'DocumentReference.securityLabel');
  }
  const read = readSecurityLabels(after.securityLabel as CodeableLike[]);
  if (!read.ok) throw refused(422, read.message, `DocumentReference.securityLabel[${read.index}]`);
  const { flags, confidentiality } = read.labels;
  if (after.status !== before.status) {
    if (after.status === 'superseded') throw refused(422, 'Un document devient « superseded » quand un autre le remplace (ITI-65, relatesTo « replaces »).', 'DocumentReference.status');
    if (after.status !== 'entered-in-error') throw refused(422, `Le statut « ${after.status} » ne se donne pas : seule la suppression (entered-in-error) l’est.`, 'DocumentReference.status');
  }
  if (flags.hiddenFromPatient && !before.hiddenFromPatient) {
    throw refused(422, 'Un document visible par le patient ne peut pas lui être caché ensuite : seul un dépôt peut être « non visible par le patient ».', 'DocumentReference.securityLabel');
  }
  if (flags.hiddenFromRepresentatives !== before.hiddenFromRepresentatives) {
    throw refused(422, 'La visibilité par les représentants légaux ne se modifie pas après le dépôt.', 'DocumentReference.securityLabel');
  }
  if (confidentiality !== undefined && confidentiality !== before.confidentiality) {
    throw refused(422, 'Le niveau de confidentialité (N, R, V) d’un document ne se modifie pas.', 'DocumentReference.securityLabel');
  }
  return {
    delete: after.status === 'entered-in-error' && before.status !== 'entered-in-error',
    ...(flags.masked !== before.masked ? { masked: flags.masked } : {}),
    makeVisibleToPatient: before.hiddenFromPatient && !flags.hiddenFromPatient,
  };
}

const refused = (status: 405 | 422, message: string, expression: string) =>
  new AppError(status, status === 405 ? 'method-not-allowed' : 'invalid-patch', status === 405 ? 'Modification non permise' : 'Mise à jour refusée', message, [{ field: expression, message }]);
