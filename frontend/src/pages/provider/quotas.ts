/** Share of a quota in use, 0..100, or null when there is no quota. */
export function quotaPercent(used: number, quota: number | null | undefined): number | null {
  if (quota === null || quota === undefined || quota <= 0) return null;
  return Math.min(100, Math.round((used / quota) * 1000) / 10);
}

export function quotaStatus(percent: number | null): "normal" | "exception" | "active" {
  if (percent === null) return "normal";
  if (percent >= 100) return "exception";
  return percent >= 90 ? "active" : "normal";
}
