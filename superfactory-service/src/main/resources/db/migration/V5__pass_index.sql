-- A rebuild replays every committed scheduling pass in seq order (SchedulerStore.forEachPass).
-- Without this index that is a scan of the whole event log (passes are a few in a hundred of its
-- rows under load); with it, a scan of the passes only, already in seq order.
CREATE INDEX event_log_passes ON event_log (seq) WHERE type = 'kernel.pass';
