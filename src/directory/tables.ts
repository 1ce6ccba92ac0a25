import type { ColumnType } from 'kysely';

/** The directory module's tables (migrations 0001, 0019). */
export type DirectoryTables = {
  /**
   * Migration 0019: the insurance's directory is personal data, sealed. The NIR and the card
   * holder's NIR, which lookups need, are blind indexes; the rest is one sealed value (lookup.ts).
   */
  insured_person: {
    nir_index: Buffer;
    card_holder_index: Buffer;
    /** Sealed JSON of InsuredPersonRecord; a Buffer from PostgreSQL, a Uint8Array from the embedded database. */
    personal: ColumnType<Uint8Array, Buffer, Buffer>;
    loaded_at: ColumnType<Date, never, string>;
  };
  /** The RPPS directory is public data in France (annuaire.sante.fr): kept in clear, searched by name. */
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
