"""Alarm processing without I/O (docs/alarms.md): the frame record the engine consumes, the
conditions a record shows (what the vehicle reports and the platform's own rules), the event
lifecycle with close-after-clear and flapping suppression, and the protocol compliance checks
of level-3/4 alarms (PROTOCOL.md §8.7, §11, §14.4)."""
