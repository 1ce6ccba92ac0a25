import type { ColumnType } from 'kysely';

/** The directory module's tables (migration 0001). */
export type DirectoryTables = {
  insured_person: {
    nir: string;
    ins_oid: string;
    birth_name: string;
    first_names: string;
    used_name: string | null;
    sex: 'M' | 'F';
    birth_date: string; // yyyy-mm-dd (see core/db/database.ts)
    birth_place: string;
    card_holder_nir: string;
    vitale_serial: string;
    vitale_type: 'photo' | 'sans_photo';
    email: string | null;
    mobile: string | null;
    address_line: string;
    postal_code: string;
    city: string;
    treating_doctor_rpps: string | null;
    loaded_at: ColumnType<Date, never, string>;
  };
  health_professional: {
    rpps: string;
    last_name: string;
    first_name: string;
    profession_code: string;
    specialty_code: string | null;
    role: string | null;
    workplace_name: string;
    workplace_finess: string | null;
    email: string | null;
    loaded_at: ColumnType<Date, never, string>;
  };
};
