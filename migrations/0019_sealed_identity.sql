-- Sealed identities (issue 11, finding 14): an operator reading the tables no longer reads a
-- NIR, a name, a mobile, an email, an address or a session's content in clear, neither in the
-- accounts nor in the insured-persons directory.
--   * what lookups need of a NIR becomes its blind index (`nir_index`: an HMAC-SHA256 under a key
--     derived from the master key), so lookups and uniqueness work as before;
--   * the personal details of an account or of an insured person become one sealed value (`personal`: AES-256-GCM under
--     another derived key, bound to the table, the row and the column);
--   * a challenge's new contact value and a session's data are sealed the same way.
-- SQL cannot compute either, so the rows written before are converted by the TypeScript step
-- named below (src/app/cli/migrations.ts), in this migration's transaction, before the clear
-- columns are dropped.

ALTER TABLE patient_account ADD COLUMN nir_index bytea, ADD COLUMN personal bytea;
ALTER TABLE account_by_nir ADD COLUMN nir_index bytea;
ALTER TABLE creation_code ADD COLUMN nir_index bytea;
ALTER TABLE caregiver_account ADD COLUMN personal bytea;
ALTER TABLE auth_challenge ADD COLUMN new_value_sealed bytea;
ALTER TABLE session ADD COLUMN sealed_data bytea;
ALTER TABLE insured_person ADD COLUMN nir_index bytea, ADD COLUMN card_holder_index bytea, ADD COLUMN personal bytea;
-- A patient's, a representative's or a caregiver's name on a document they added, sealed under the
-- record's data key (the column author_name is then left empty); professionals' names are public.
ALTER TABLE document ADD COLUMN author_name_sealed bytea;

-- data-step: seal-identity

ALTER TABLE patient_account
  DROP COLUMN nir, DROP COLUMN mobile, DROP COLUMN email, DROP COLUMN civility, DROP COLUMN address_line,
  DROP COLUMN postal_code, DROP COLUMN city, DROP COLUMN country, DROP COLUMN birth_country, DROP COLUMN landline,
  ALTER COLUMN nir_index SET NOT NULL, ALTER COLUMN personal SET NOT NULL;

ALTER TABLE account_by_nir DROP CONSTRAINT account_by_nir_pkey;
ALTER TABLE account_by_nir DROP COLUMN nir, ALTER COLUMN nir_index SET NOT NULL, ADD PRIMARY KEY (nir_index);

ALTER TABLE creation_code DROP CONSTRAINT creation_code_pkey;
ALTER TABLE creation_code DROP COLUMN nir, ALTER COLUMN nir_index SET NOT NULL, ADD PRIMARY KEY (nir_index, id);

ALTER TABLE caregiver_account
  DROP COLUMN first_name, DROP COLUMN last_name, DROP COLUMN mobile, DROP COLUMN email,
  ALTER COLUMN personal SET NOT NULL;

ALTER TABLE auth_challenge DROP COLUMN new_value;

ALTER TABLE session DROP COLUMN data, ALTER COLUMN sealed_data SET NOT NULL;

ALTER TABLE insured_person DROP CONSTRAINT insured_person_pkey;
ALTER TABLE insured_person
  DROP COLUMN nir, DROP COLUMN ins_oid, DROP COLUMN birth_name, DROP COLUMN first_names, DROP COLUMN used_name,
  DROP COLUMN sex, DROP COLUMN birth_date, DROP COLUMN birth_place, DROP COLUMN card_holder_nir, DROP COLUMN vitale_serial,
  DROP COLUMN vitale_type, DROP COLUMN email, DROP COLUMN mobile, DROP COLUMN address_line, DROP COLUMN postal_code,
  DROP COLUMN city, DROP COLUMN treating_doctor_rpps,
  ALTER COLUMN nir_index SET NOT NULL, ALTER COLUMN card_holder_index SET NOT NULL, ALTER COLUMN personal SET NOT NULL,
  ADD PRIMARY KEY (nir_index);
-- The index on card_holder_nir went with its column.
CREATE INDEX insured_person_card_holder ON insured_person (card_holder_index);
