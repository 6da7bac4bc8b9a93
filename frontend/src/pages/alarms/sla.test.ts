import { describe, expect, it } from "vitest";
import { caseActions, countdown, slaTimer } from "./sla";

const now = new Date("2026-06-01T10:00:00Z");

describe("SLA timers", () => {
  it("count down to the due time and go negative past it", () => {
    expect(slaTimer("2026-06-01T10:15:00Z", null, now)).toEqual({ remainingSeconds: 900, breached: false });
    expect(slaTimer("2026-06-01T09:59:00Z", null, now)).toEqual({ remainingSeconds: -60, breached: true });
  });

  it("stop when the step is done, breached only if done late", () => {
    expect(slaTimer("2026-06-01T10:15:00Z", "2026-06-01T10:05:00Z", now)).toEqual({ remainingSeconds: null, breached: false });
    expect(slaTimer("2026-06-01T10:15:00Z", "2026-06-01T10:16:00Z", now)).toEqual({ remainingSeconds: null, breached: true });
  });

  it("write the time left compactly", () => {
    expect(countdown(845)).toBe("14:05");
    expect(countdown(3 * 3600 + 61)).toBe("3:01:01");
    expect(countdown(3 * 86400 + 4 * 3600 + 600)).toBe("3d 04:10");
    expect(countdown(-300)).toBe("-05:00");
  });
});

describe("case actions", () => {
  it("follow the workflow's states", () => {
    expect(caseActions("OPEN")).toEqual({ acknowledge: true, assign: false, dispose: false, reopen: false });
    expect(caseActions("ACKNOWLEDGED")).toEqual({ acknowledge: false, assign: true, dispose: true, reopen: false });
    expect(caseActions("ASSIGNED")).toEqual({ acknowledge: false, assign: true, dispose: true, reopen: false });
    expect(caseActions("DISPOSED")).toEqual({ acknowledge: false, assign: false, dispose: false, reopen: true });
  });
});
