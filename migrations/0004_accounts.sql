-- Records and patient accounts (module: accounts). See 0001 for the scope comments.
-- Uniqueness that spans records (one record per INS, one account per person) lives in
-- lookup tables keyed by that value, since a sharded table can only be unique per shard key.

CREATE TABLE dmp_record (
  record_id          uuid PRIMARY KEY,
  ins_oid            text NOT NULL,
  ins_matricule      char(15) NOT NULL,
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  created_at         timestamptz NOT NULL,
  created_by_kind    text NOT NULL CHECK (created_by_kind IN ('patient', 'representative', 'professional', 'agent')),
  created_by_id      text NOT NULL,
  consent_at         timestamptz NOT NULL,   -- the patient's consent to the creation
  consent_by         text NOT NULL,          -- who recorded it: the patient, an RPPS, an agent
  allow_break_glass  boolean NOT NULL DEFAULT true,
  allow_samu         boolean NOT NULL DEFAULT true,
  closed_at          timestamptz
);
COMMENT ON TABLE dmp_record IS 'scope:record';

CREATE TABLE record_by_ins (
  ins_matricule      char(15) PRIMARY KEY,
  record_id          uuid NOT NULL,
  created_at         timestamptz NOT NULL
);
COMMENT ON TABLE record_by_ins IS 'scope:directory';

CREATE TABLE patient_account (
  login_id           text PRIMARY KEY,
  nir                char(15) NOT NULL,      -- the person's own matricule INS
  password_hash      text NOT NULL,
  password_is_initial boolean NOT NULL DEFAULT true,
  mobile             text,
  email              text,
  code_channel       text NOT NULL CHECK (code_channel IN ('sms', 'email')),
  first_login_step   text CHECK (first_login_step IN ('personal', 'password', 'emergency')), -- null once done
  civility           text,
  address_line       text,
  postal_code        text,
  city               text,
  country            text,
  birth_country      text,
  landline           text,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
COMMENT ON TABLE patient_account IS 'scope:directory';

CREATE TABLE account_by_nir (
  nir                char(15) PRIMARY KEY,
  login_id           text NOT NULL
);
COMMENT ON TABLE account_by_nir IS 'scope:directory';

-- Which records an account acts on: its own, and those it represents (a child on its card).
CREATE TABLE account_record (
  login_id           text NOT NULL,
  record_id          uuid NOT NULL,
  role               text NOT NULL CHECK (role IN ('holder', 'legal_representative')),
  created_at         timestamptz NOT NULL,
  PRIMARY KEY (login_id, record_id)
);
CREATE INDEX account_record_by_record ON account_record (record_id);
COMMENT ON TABLE account_record IS 'scope:directory';

-- Single-use creation codes, stored as a MAC bound to the NIR.
CREATE TABLE creation_code (
  nir                char(15) NOT NULL,
  id                 uuid NOT NULL,
  code_mac           bytea NOT NULL,
  created_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  used_at            timestamptz,
  failed_attempts    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (nir, id)
);
COMMENT ON TABLE creation_code IS 'scope:directory';

-- One-time code challenges: login, password reset, change of mobile or email.
CREATE TABLE auth_challenge (
  id                 uuid PRIMARY KEY,
  purpose            text NOT NULL CHECK (purpose IN ('login', 'password-reset', 'contact-change')),
  login_id           text NOT NULL,
  code_mac           bytea NOT NULL,
  channel            text NOT NULL CHECK (channel IN ('sms', 'email')),
  new_value          text,                   -- the new mobile or email being confirmed
  created_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  attempts           integer NOT NULL DEFAULT 0,
  resends            integer NOT NULL DEFAULT 0,
  consumed_at        timestamptz
);
COMMENT ON TABLE auth_challenge IS 'scope:directory';

-- Failed password counts per typed identifier (known or not, so both take the same path).
CREATE TABLE login_failure (
  identifier_hash    bytea PRIMARY KEY,
  failures           integer NOT NULL,
  locked_until       timestamptz,
  updated_at         timestamptz NOT NULL
);
COMMENT ON TABLE login_failure IS 'scope:system';
