/**
 * One line of the Assurance Maladie's care-history feed: a reimbursed act or product for an
 * insured person (DOMAIN.md §1: the feed appends the reimbursements of the last 24 months).
 * Pure, like the directory rows: the importer reports every refused line with its number.
 *
 *   ins,claim_id,care_date,kind,label,quantity,professional
 *   279035121518989,2026-0001-4471,2026-10-03,pharmacie,LEVOTHYROX 75 µg cp,1,Pharmacie du Centre
 */
import { columnMessage, fieldReader, squeeze, type RowResult } from '../directory';
import { parseNir } from '../identity';

export const FEED_COLUMNS = ['ins', 'claim_id', 'care_date', 'kind', 'label', 'quantity', 'professional'] as const;
const REQUIRED: readonly string[] = ['ins', 'claim_id', 'care_date', 'kind', 'label'];

/** The kinds of care, in the order and words the patient reads them. */
export const CARE_KINDS = {
  consultation: 'Consultations et visites',
  pharmacie: 'Médicaments et produits de santé',
  biologie: 'Analyses de biologie',
  imagerie: 'Radiologie et imagerie',
  hospitalisation: 'Hospitalisations',
  soins: 'Soins infirmiers et rééducation',
  dentaire: 'Soins dentaires',
  optique: 'Optique et audition',
  transport: 'Transports',
  autre: 'Autres soins',
} as const;
export type CareKind = keyof typeof CARE_KINDS;
const isCareKind = (value: string): value is CareKind => Object.hasOwn(CARE_KINDS, value);

export interface CareLine {
  /** The insurance's own identifier of the reimbursed line: the same line sent again replaces it. */
  readonly claimId: string;
  /** yyyy-mm-dd, the day of the care (not of the reimbursement). */
  readonly careDate: string;
  readonly kind: CareKind;
  readonly label: string;
  readonly quantity: number;
  /** Who gave the care or delivered the product, as the insurance names them. */
  readonly professional: string | null;
}

export interface FeedLine {
  /** The beneficiary's own NIR (the record's INS), normalized. */
  readonly ins: string;
  readonly line: CareLine;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLAIM_ID = /^[A-Za-z0-9._\-/]{1,40}$/;
const MAX_LABEL = 200;

function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `today` (yyyy-mm-dd) refuses care in the future: a date typed wrong upstream, not a claim. */
export function parseFeedRow(row: Record<string, string>, today: string): RowResult<FeedLine> {
  const get = fieldReader(row);
  const errors: string[] = [];
  const missing = new Set(REQUIRED.filter((column) => get(column) === ''));
  for (const column of missing) errors.push(columnMessage(column, 'valeur obligatoire manquante.'));
  const report = (column: string, message: string) => {
    if (!missing.has(column)) errors.push(columnMessage(column, message));
  };

  const nir = parseNir(get('ins'));
  if (!nir.ok) report('ins', nir.error.message);
  const claimId = get('claim_id');
  if (!CLAIM_ID.test(claimId)) report('claim_id', 'identifiant de ligne attendu (lettres, chiffres, . _ - /, 40 caractères au plus).');
  const careDate = get('care_date');
  if (!isCalendarDate(careDate)) report('care_date', 'date attendue au format AAAA-MM-JJ.');
  else if (careDate > today) report('care_date', 'la date des soins est dans le futur.');
  const kind = get('kind');
  if (!isCareKind(kind)) report('kind', `type de soin inconnu (attendu : ${Object.keys(CARE_KINDS).join(', ')}).`);
  const label = squeeze(get('label'));
  if (label.length > MAX_LABEL) report('label', `${MAX_LABEL} caractères au plus.`);
  const quantityText = get('quantity') || '1';
  const quantity = Number(quantityText);
  if (!/^\d{1,4}$/.test(quantityText) || quantity < 1) report('quantity', 'nombre entier attendu, de 1 à 9999.');
  const professional = squeeze(get('professional'));
  if (professional.length > MAX_LABEL) report('professional', `${MAX_LABEL} caractères au plus.`);

  if (errors.length > 0 || !nir.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ins: nir.nir.value,
      line: { claimId, careDate, kind: kind as CareKind, label, quantity, professional: professional || null },
    },
  };
}
