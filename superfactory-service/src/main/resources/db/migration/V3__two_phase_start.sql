-- Schema V3: a run with shards on two or more sites starts in two phases (issue 11 item 5).
-- The pass that admits it writes a 'prepare' command per site; each agent reports its shard
-- 'ready'; when every shard is ready, the scheduler writes one 'go' command per site, in the
-- same transaction as the report that completed the set, and records when in runs.go_at (a
-- rebuild then knows the go was written and never writes it twice).
ALTER TABLE agent_commands DROP CONSTRAINT agent_commands_kind_check;
ALTER TABLE agent_commands ADD CONSTRAINT agent_commands_kind_check CHECK (kind IN ('start', 'stop', 'prepare', 'go'));
ALTER TABLE shard_reports DROP CONSTRAINT shard_reports_state_check;
ALTER TABLE shard_reports ADD CONSTRAINT shard_reports_state_check CHECK (state IN ('ready', 'running', 'finished',
    'failed', 'stopped'));
ALTER TABLE shards DROP CONSTRAINT shards_state_check;
ALTER TABLE shards ADD CONSTRAINT shards_state_check CHECK (state IN ('assigned', 'ready', 'running', 'finished',
    'failed', 'stopping', 'stopped', 'lost'));
ALTER TABLE runs ADD COLUMN go_at timestamptz;

-- Checkpoints (issue 11 item 5, the simulated agent): a failed shard's report carries the job's
-- work at its last checkpoint (seconds of its true run time); the scheduler keeps the job's
-- newest in jobs.checkpoint_seconds and hands it to the next run (resumeSeconds), which then runs
-- only the remaining time.
ALTER TABLE shard_reports ADD COLUMN checkpoint_seconds bigint NOT NULL DEFAULT 0 CHECK (checkpoint_seconds >= 0);
ALTER TABLE jobs ADD COLUMN checkpoint_seconds bigint NOT NULL DEFAULT 0 CHECK (checkpoint_seconds >= 0);
