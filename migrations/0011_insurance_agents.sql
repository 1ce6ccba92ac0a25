-- Insurance agents at the CPAM reception desk (DOMAIN.md §1–2; module: agents). A staff
-- account that creates records with the patient present and never reads medical content.
-- Agents sign in with their identifier, a password (Argon2id) and a one-time code sent to
-- their work email. See 0001 for the scope comments.
CREATE TABLE insurance_agent (
  agent_id            text PRIMARY KEY,
  first_name          text NOT NULL,
  last_name           text NOT NULL,
  office              text NOT NULL,              -- "CPAM du Rhône, accueil de Lyon 3e"
  email               text NOT NULL,
  password_hash       text NOT NULL,
  password_is_initial boolean NOT NULL,
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
COMMENT ON TABLE insurance_agent IS 'scope:directory';

-- The agent's one-time codes use the same challenges as the patients', under their own purpose.
ALTER TABLE auth_challenge DROP CONSTRAINT auth_challenge_purpose_check;
ALTER TABLE auth_challenge ADD CONSTRAINT auth_challenge_purpose_check
  CHECK (purpose IN ('login', 'password-reset', 'contact-change', 'agent-login'));
