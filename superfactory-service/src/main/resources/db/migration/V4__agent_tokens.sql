-- Schema V4 (issue 11 item 4/5): a third token role, 'agent', bound to one site of the fleet, so a
-- site agent needs no operator token. An agent token names its site and no tenant; a tenant token
-- names its tenant and no site; an operator token names neither.
-- (Versioned 4, not 3: another change of issue 11 may add a V3.)
ALTER TABLE api_tokens ADD COLUMN site text REFERENCES agents (site);
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('tenant', 'operator', 'agent'));
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_scope_check
    CHECK ((role = 'tenant') = (tenant IS NOT NULL) AND (role = 'agent') = (site IS NOT NULL));
