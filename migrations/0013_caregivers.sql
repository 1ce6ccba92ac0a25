-- Caregivers (proches aidants, DOMAIN.md §1): up to 3 per record, invited by the patient.
--
-- A caregiver signs in at «Accéder à mon DMP» like anyone (identifier + password + one-time
-- code). A caregiver need not have a DMP of their own, and patient_account is keyed to a NIR
-- (NOT NULL, one account per person through account_by_nir): so a caregiver without a DMP gets
-- a login of its own here, in the same identifier space (the login flow looks in both tables).
-- A patient who already has a DMP login simply links it.
CREATE TABLE caregiver_account (
  login_id           text PRIMARY KEY,
  first_name         text NOT NULL,
  last_name          text NOT NULL,
  password_hash      text NOT NULL,
  mobile             text NOT NULL,
  email              text NOT NULL,
  code_channel       text NOT NULL CHECK (code_channel IN ('sms', 'email')),
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
COMMENT ON TABLE caregiver_account IS 'scope:directory';

-- The link that gives access is a row of account_record with role 'caregiver': every screen
-- and route that asks «which records does this login act on, and as what» sees it, the switch
-- between records included; removing the row ends the access at the next request.
ALTER TABLE account_record DROP CONSTRAINT account_record_role_check;
ALTER TABLE account_record ADD CONSTRAINT account_record_role_check
  CHECK (role IN ('holder', 'legal_representative', 'caregiver'));

-- The patient's side of it: the invitations and who accepted them, kept after a removal for the
-- patient's history. The code is stored as a MAC bound to the invited email, never in clear.
CREATE TABLE record_caregiver (
  record_id          uuid NOT NULL,
  caregiver_id       uuid NOT NULL,
  first_name         text NOT NULL,
  last_name          text NOT NULL,
  email              text NOT NULL,
  code_mac           bytea NOT NULL,
  invited_by         text NOT NULL,
  invited_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  accepted_at        timestamptz,
  login_id           text,                   -- the login linked when the invitation was accepted
  removed_at         timestamptz,
  PRIMARY KEY (record_id, caregiver_id)
);
-- Accepting starts from the code alone (the invitee does not know the record id).
CREATE INDEX record_caregiver_by_code ON record_caregiver (code_mac);
COMMENT ON TABLE record_caregiver IS 'scope:record';
