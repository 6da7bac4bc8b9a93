-- The console's recent link events of the whole fleet (newest first, across vehicles): 0002's
-- index leads with the VIN, so without this one that read scanned the day's events.
CREATE INDEX vehicle_events_at ON vehicle_events (at DESC);
