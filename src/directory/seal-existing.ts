import type { SqlSession } from '../platform';
import { walkRows } from '../platform';
import { sealInsuredPerson, type InsuredPersonRecord } from './lookup';

/**
 * Migration 0019's data step for the insured-persons directory: each row loaded in clear before
 * it is sealed as the loader now stores it (lookup.ts), in the migration's transaction, before
 * its SQL drops the clear columns. Plain SQL against the schema of that day.
 */
export async function sealExistingDirectory(session: SqlSession, masterKey: Buffer): Promise<void> {
  type Row = {
    nir: string; ins_oid: string; birth_name: string; first_names: string; used_name: string | null; sex: 'M' | 'F'; birth_date: string;
    birth_place: string; card_holder_nir: string; vitale_serial: string; vitale_type: 'photo' | 'sans_photo'; email: string | null;
    mobile: string | null; address_line: string; postal_code: string; city: string; treating_doctor_rpps: string | null;
  };
  const columns =
    'ins_oid, birth_name, first_names, used_name, sex, birth_date, birth_place, card_holder_nir, vitale_serial, vitale_type, email, mobile, address_line, postal_code, city, treating_doctor_rpps';
  await walkRows<Row>(session, { table: 'insured_person', key: 'nir', columns }, async (r) => {
    const person: InsuredPersonRecord = {
      nir: r.nir,
      insOid: r.ins_oid,
      birthName: r.birth_name,
      firstNames: r.first_names,
      usedName: r.used_name,
      sex: r.sex,
      birthDate: r.birth_date,
      birthPlace: r.birth_place,
      cardHolderNir: r.card_holder_nir,
      vitaleSerial: r.vitale_serial,
      vitaleType: r.vitale_type,
      email: r.email,
      mobile: r.mobile,
      address: { line: r.address_line, postalCode: r.postal_code, city: r.city },
      treatingDoctorRpps: r.treating_doctor_rpps,
    };
    const sealed = sealInsuredPerson(masterKey, person);
    await session.query('UPDATE insured_person SET nir_index = $1, card_holder_index = $2, personal = $3 WHERE nir = $4', [
      sealed.nir_index,
      sealed.card_holder_index,
      sealed.personal,
      r.nir,
    ]);
  });
}
