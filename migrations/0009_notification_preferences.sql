-- What each patient account wants to be told of, and how (module: notify). DOMAIN.md §6: the
-- patient is notified by email or SMS of a first access by a new professional, any emergency
-- access, a new document, a change of contact or password, the closure or reactivation of the
-- record. Every switch is on by default: only the families a person changed have a row.

CREATE TABLE notification_preference (
  login_id    text NOT NULL,
  family      text NOT NULL CHECK (family IN (
                'first-access-new-professional',
                'emergency-access',
                'new-document',
                'contact-or-password-change',
                'closure-reactivation')),
  email       boolean NOT NULL DEFAULT true,
  sms         boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (login_id, family)
);
COMMENT ON TABLE notification_preference IS 'scope:directory';
