-- An agent's shard report may say why, in its cluster's words (Slurm's 'NODE_FAIL: NodeDown', a
-- Kubernetes pod's reason): kept with the report; the run.ended event of a run a report ends carries it.
ALTER TABLE shard_reports ADD COLUMN reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 200);
