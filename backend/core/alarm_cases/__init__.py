"""Alarm handling and response (issue 5 part 2, docs/alarms.md "Handling and response"):
cases and their workflow, SLA deadlines over working days, escalation, the duty rota, the
tenant's handling policy per level, and notification payloads and signatures. Pure: given data
and the time, returns results."""
