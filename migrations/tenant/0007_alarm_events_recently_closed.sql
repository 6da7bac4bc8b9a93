-- The alarm engine's start loads the closed events it wrote recently (wall clock): they may
-- still reopen when a record within the flap window arrives, however old its collection time
-- (a backlog, a simulated day). 0006's closed_at index answers by data time only.
CREATE INDEX alarm_events_closed_updated ON alarm_events (updated_at) WHERE state = 'closed';
