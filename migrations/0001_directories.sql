-- Reference directories provided by the health insurance (module: directory).
-- Every table states its sharding scope in its comment (see test/schema-rules.test.ts):
--   scope:record     patient data, distributed by record_id (record_id in the primary key)
--   scope:directory  large lookup data distributed by its own key, never joined to record tables
--   scope:reference  small catalogs replicated to every node
--   scope:system     the service's own bookkeeping

CREATE TABLE insured_person (
  nir                 char(15) PRIMARY KEY,        -- the person's own matricule INS (NIR or NIA)
  ins_oid             text NOT NULL,
  birth_name          text NOT NULL,
  first_names         text NOT NULL,
  used_name           text,
  sex                 char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date          date NOT NULL,
  birth_place         text NOT NULL,
  card_holder_nir     char(15) NOT NULL,           -- the NIR on the Vitale card (a parent's for a child)
  vitale_serial       text NOT NULL,
  vitale_type         text NOT NULL CHECK (vitale_type IN ('photo', 'sans_photo')),
  email               text,
  mobile              text,
  address_line        text NOT NULL,
  postal_code         char(5) NOT NULL,
  city                text NOT NULL,
  treating_doctor_rpps char(11),
  loaded_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX insured_person_card_holder ON insured_person (card_holder_nir);
COMMENT ON TABLE insured_person IS 'scope:directory';

CREATE TABLE health_professional (
  rpps                char(11) PRIMARY KEY,
  last_name           text NOT NULL,
  first_name          text NOT NULL,
  profession_code     text NOT NULL,
  specialty_code      text,
  role                text,
  workplace_name      text NOT NULL,
  workplace_finess    char(9),
  email               text,
  loaded_at           timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE health_professional IS 'scope:reference';
