-- Practice software (logiciels de gestion de cabinet, LGC) admitted to the FHIR door (#12).
--
-- Each piece of software is its own OAuth client: a professional signs in to Pro Santé Connect
-- from it and /fhir accepts the access token only when the token names an admitted client that is
-- not disabled. An operator admits software with `npm run fhir:client:add`; with the development
-- provider the same row is the provider's client registration, so that every app node finds it
-- and it survives a restart. Public native clients (RFC 8252): no secret, PKCE, loopback or
-- private-scheme redirect URIs.
CREATE TABLE software_client (
  client_id          text PRIMARY KEY,
  name               text NOT NULL,
  redirect_uris      text[] NOT NULL CHECK (cardinality(redirect_uris) BETWEEN 1 AND 10),
  created_at         timestamptz NOT NULL,
  disabled_at        timestamptz
);
-- A few rows read on every /fhir request, from every node: copied to every node when distributed.
COMMENT ON TABLE software_client IS 'scope:reference';
