-- Schema V1 of the control plane's store (issue 11 item 2).
-- The event log is the source of truth and append-only; every other table is a projection that
-- changes in the same transaction as the event that explains the change.
-- Names: lower-case identifiers of tenants, sites and event types are checked here so that a bad
-- value fails at the row, not later in a report.

CREATE TABLE tenants (
    id           text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    display_name text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    created      timestamptz NOT NULL DEFAULT now()
);

-- Versioned: a change of terms is a new row; the terms in force at t are the row with the
-- greatest valid_from <= t.
CREATE TABLE contracts (
    tenant     text        NOT NULL REFERENCES tenants (id),
    version    integer     NOT NULL CHECK (version >= 1),
    terms      jsonb       NOT NULL CHECK (jsonb_typeof(terms) = 'object'),
    valid_from timestamptz NOT NULL,
    created    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, version),
    UNIQUE (tenant, valid_from)
);

-- Only the SHA-256 of a token is stored; the token itself is shown once, at creation.
-- A tenant token names its tenant; an operator token names none.
CREATE TABLE api_tokens (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant     text        REFERENCES tenants (id),
    role       text        NOT NULL CHECK (role IN ('tenant', 'operator')),
    token_hash bytea       NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    label      text        NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    created    timestamptz NOT NULL,
    expires    timestamptz NOT NULL,
    revoked    timestamptz,
    CHECK ((role = 'tenant') = (tenant IS NOT NULL)),
    CHECK (expires > created),
    CHECK (revoked IS NULL OR revoked >= created)
);
CREATE INDEX api_tokens_tenant ON api_tokens (tenant) WHERE tenant IS NOT NULL;

-- Job states of issue 11 item 3; the legal transitions are JobState's (Java), the conditional
-- UPDATE on (state, version) makes each one atomic.
CREATE TABLE jobs (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant    text        NOT NULL REFERENCES tenants (id),
    client_id text        NOT NULL CHECK (length(client_id) BETWEEN 1 AND 200),
    spec      jsonb       NOT NULL CHECK (jsonb_typeof(spec) = 'object'),
    state     text        NOT NULL CHECK (state IN ('submitted', 'queued', 'admitted', 'running', 'preempting',
                                                    'lost', 'succeeded', 'failed', 'cancelled')),
    version   integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created   timestamptz NOT NULL DEFAULT now(),
    updated   timestamptz NOT NULL DEFAULT now(),
    -- the idempotency key: a retried submit finds the job instead of adding one
    UNIQUE (tenant, client_id),
    -- target of the tenant-matching foreign keys below, and the keyset-paging index of a tenant's jobs
    UNIQUE (tenant, id),
    CHECK (updated >= created)
);
CREATE INDEX jobs_tenant_state_id ON jobs (tenant, state, id);
-- the kernel's rebuild on start reads only the jobs that are not finished
CREATE INDEX jobs_live ON jobs (id) WHERE state NOT IN ('succeeded', 'failed', 'cancelled');

-- One run per attempt of a job.
CREATE TABLE runs (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant  text        NOT NULL,
    job     bigint      NOT NULL,
    attempt integer     NOT NULL CHECK (attempt >= 1),
    state   text        NOT NULL CHECK (state IN ('pending', 'starting', 'running', 'preempting', 'lost',
                                                  'succeeded', 'failed', 'cancelled')),
    created timestamptz NOT NULL DEFAULT now(),
    ended   timestamptz,
    FOREIGN KEY (tenant, job) REFERENCES jobs (tenant, id),
    UNIQUE (job, attempt),
    CHECK (ended IS NULL OR ended >= created)
);

CREATE TABLE agents (
    site           text        PRIMARY KEY CHECK (site ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    capacity       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(capacity) = 'object'),
    registered     timestamptz NOT NULL DEFAULT now(),
    last_heartbeat timestamptz CHECK (last_heartbeat IS NULL OR last_heartbeat >= registered)
);

-- One shard per site of a run; the lease term fences commands of an older leader, a shard whose
-- lease expires is lost.
CREATE TABLE shards (
    run          bigint      NOT NULL REFERENCES runs (id),
    site         text        NOT NULL REFERENCES agents (site),
    placement    jsonb       NOT NULL CHECK (jsonb_typeof(placement) = 'object'),
    state        text        NOT NULL CHECK (state IN ('assigned', 'ready', 'running', 'finished', 'failed',
                                                       'lost', 'released')),
    lease_term   bigint      NOT NULL CHECK (lease_term >= 0),
    lease_expiry timestamptz,
    PRIMARY KEY (run, site)
);
CREATE INDEX shards_site ON shards (site);
CREATE INDEX shards_lease_expiry ON shards (lease_expiry) WHERE lease_expiry IS NOT NULL;

-- Append-only. seq is the order of commits: EventLog takes a transaction-scoped advisory lock
-- before it draws a seq, so a reader that has seen seq n has seen every event below n.
CREATE TABLE event_log (
    seq     bigserial   PRIMARY KEY,
    time    timestamptz NOT NULL DEFAULT clock_timestamp(),
    tenant  text        REFERENCES tenants (id),
    job     bigint,
    run     bigint      REFERENCES runs (id),
    type    text        NOT NULL CHECK (type ~ '^[a-z][a-z_.]{0,62}$'),
    payload jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
    FOREIGN KEY (tenant, job) REFERENCES jobs (tenant, id),
    CHECK (job IS NULL OR tenant IS NOT NULL),
    CHECK (run IS NULL OR job IS NOT NULL)
);
CREATE INDEX event_log_tenant_seq ON event_log (tenant, seq);
CREATE INDEX event_log_job_seq ON event_log (job, seq) WHERE job IS NOT NULL;

CREATE FUNCTION event_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'event_log is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER event_log_no_update_delete BEFORE UPDATE OR DELETE ON event_log
    FOR EACH ROW EXECUTE FUNCTION event_log_append_only();
CREATE TRIGGER event_log_no_truncate BEFORE TRUNCATE ON event_log
    FOR EACH STATEMENT EXECUTE FUNCTION event_log_append_only();
