// SLA timers of an alarm case (docs/alarms.md, "SLA, working days and escalation"): confirm
// within 15 minutes of the case opening, dispose within 10 working days (REGULATORY.md §6).

export interface SlaTimer {
  /** Seconds left until the due time; negative once past it. Null when the step is done. */
  remainingSeconds: number | null;
  breached: boolean;
}

export function slaTimer(due: string, doneAt: string | null | undefined, now: Date): SlaTimer {
  const dueMs = Date.parse(due);
  if (doneAt) return { remainingSeconds: null, breached: Date.parse(doneAt) > dueMs };
  const remaining = Math.floor((dueMs - now.getTime()) / 1000);
  return { remainingSeconds: remaining, breached: remaining < 0 };
}

/** 14:05 for minutes and seconds, 3d 04:10 beyond a day, with a minus sign once overdue. */
export function countdown(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  let rest = Math.abs(seconds);
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  const minutes = Math.floor((rest % 3600) / 60);
  const secs = rest % 60;
  const two = (value: number) => String(value).padStart(2, "0");
  if (days > 0) return `${sign}${days}d ${two(hours)}:${two(minutes)}`;
  if (hours > 0) return `${sign}${hours}:${two(minutes)}:${two(secs)}`;
  return `${sign}${two(minutes)}:${two(secs)}`;
}

/** Which actions a case allows in its state (the API answers CONFLICT for the others). */
export function caseActions(state: "OPEN" | "ACKNOWLEDGED" | "ASSIGNED" | "DISPOSED"): { acknowledge: boolean; assign: boolean; dispose: boolean; reopen: boolean } {
  return {
    acknowledge: state === "OPEN",
    assign: state === "ACKNOWLEDGED" || state === "ASSIGNED",
    dispose: state === "ACKNOWLEDGED" || state === "ASSIGNED",
    reopen: state === "DISPOSED",
  };
}
