-- Schema V2: what the scheduler thread and the site agents need (issue 11 items 1, 5, 8).

-- One row: the leader term (fencing: every agent command carries it; a restart takes term + 1)
-- and the fleet the kernel was built on (a restart on another fleet would replay onto wrong GPUs).
CREATE TABLE control_plane (
    id      boolean     PRIMARY KEY DEFAULT true CHECK (id),
    term    bigint      NOT NULL CHECK (term >= 1),
    fleet   jsonb       NOT NULL CHECK (jsonb_typeof(fleet) = 'object'),
    started timestamptz NOT NULL
);

-- The outbox: commands for site agents, written in the transaction of the decision that caused
-- them, so an agent never sees a decision that is not committed, and none is lost. An agent reads
-- them in id order after its cursor; moving the cursor acknowledges them.
CREATE TABLE agent_commands (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site    text        NOT NULL REFERENCES agents (site),
    term    bigint      NOT NULL CHECK (term >= 1),
    run     bigint      NOT NULL REFERENCES runs (id),
    kind    text        NOT NULL CHECK (kind IN ('start', 'stop')),
    payload jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_commands_site_id ON agent_commands (site, id);
ALTER TABLE agents ADD COLUMN acked_command bigint NOT NULL DEFAULT 0 CHECK (acked_command >= 0);

-- What agents report, idempotent on (run, site, seq): a retried or duplicated report is stored
-- once. applied: the scheduler thread has taken it into account (in the same transaction as the
-- changes it caused), so a restart re-reads only the reports not yet applied.
CREATE TABLE shard_reports (
    run      bigint      NOT NULL REFERENCES runs (id),
    site     text        NOT NULL REFERENCES agents (site),
    seq      integer     NOT NULL CHECK (seq >= 1),
    state    text        NOT NULL CHECK (state IN ('running', 'finished', 'failed', 'stopped')),
    received timestamptz NOT NULL DEFAULT now(),
    applied  boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (run, site, seq)
);
CREATE INDEX shard_reports_unapplied ON shard_reports (run) WHERE NOT applied;

-- The runs of a job have a placement summary and end times; a run can be preempted.
ALTER TABLE runs DROP CONSTRAINT runs_state_check;
ALTER TABLE runs ADD CONSTRAINT runs_state_check CHECK (state IN ('starting', 'running', 'stopping', 'preempted',
    'lost', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE shards DROP CONSTRAINT shards_state_check;
ALTER TABLE shards ADD CONSTRAINT shards_state_check CHECK (state IN ('assigned', 'running', 'finished', 'failed',
    'stopping', 'stopped', 'lost'));
-- a job runs at most once at a time: at most one run of a job has not ended
CREATE UNIQUE INDEX runs_live ON runs (job) WHERE ended IS NULL;

-- A queued job can be held (it leaves the queue, keeps its row) and released (it queues again, at the back).
ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_check CHECK (state IN ('submitted', 'queued', 'held', 'admitted', 'running',
    'preempting', 'lost', 'succeeded', 'failed', 'cancelled'));

-- usage reads a tenant's runs by time
CREATE INDEX runs_tenant_created ON runs (tenant, created);
