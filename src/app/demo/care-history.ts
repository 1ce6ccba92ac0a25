import { applyCareLines } from '../../care-history';
import type { CareLine } from '../../care-history';
import { careHistoryDb } from '../../care-history';
import type { AppContext } from '../../platform';
import type { BlobStore } from '../../documents';

/**
 * Dominique's care history for the demo, as the Assurance Maladie's feed would bring it: a
 * year of follow-up of her thyroid (the official CDA examples are her TSH results). Dates are
 * counted back from today, so that the demo never ages out of the 24 months kept.
 */
const DOMINIQUE_LINES: [daysAgo: number, kind: CareLine['kind'], label: string, quantity: number, professional: string][] = [
  [12, 'pharmacie', 'LEVOTHYROX 75 microgrammes, comprimé sécable (boîte de 30)', 3, 'Pharmacie Thomas MOREAU'],
  [14, 'consultation', 'Consultation de médecine générale', 1, 'Dr Claire MARTIN'],
  [20, 'biologie', 'Dosage de la TSH', 1, 'Laboratoire de biologie médicale du Parc'],
  [104, 'pharmacie', 'LEVOTHYROX 75 microgrammes, comprimé sécable (boîte de 30)', 3, 'Pharmacie Thomas MOREAU'],
  [110, 'soins', 'Séance de kinésithérapie', 6, 'Lucas CHEVALIER'],
  [150, 'imagerie', 'Échographie de la thyroïde', 1, 'Centre d’imagerie médicale Saint-Paul'],
  [196, 'pharmacie', 'LEVOTHYROX 75 microgrammes, comprimé sécable (boîte de 30)', 3, 'Pharmacie Thomas MOREAU'],
  [198, 'consultation', 'Consultation de médecine générale', 1, 'Dr Claire MARTIN'],
  [240, 'dentaire', 'Détartrage', 1, 'Cabinet dentaire des Lilas'],
  [288, 'pharmacie', 'LEVOTHYROX 75 microgrammes, comprimé sécable (boîte de 30)', 3, 'Pharmacie Thomas MOREAU'],
  [300, 'biologie', 'Dosage de la TSH et de la T4 libre', 1, 'Laboratoire de biologie médicale du Parc'],
  [410, 'optique', 'Verres correcteurs et monture', 1, 'Optique du Marché'],
];

export async function seedDemoCareHistory(ctx: AppContext, store: BlobStore, recordId: string, nir: string): Promise<void> {
  const already = await careHistoryDb(ctx).selectFrom('care_history').select('record_id').where('record_id', '=', recordId).executeTakeFirst();
  if (already) return;
  const today = ctx.clock.now().getTime();
  const lines: CareLine[] = DOMINIQUE_LINES.map(([daysAgo, kind, label, quantity, professional], i) => ({
    claimId: `demo-${String(i + 1).padStart(3, '0')}`,
    careDate: new Date(today - daysAgo * 86_400_000).toISOString().slice(0, 10),
    kind,
    label,
    quantity,
    professional,
  }));
  await applyCareLines(ctx, store, nir, lines);
}
