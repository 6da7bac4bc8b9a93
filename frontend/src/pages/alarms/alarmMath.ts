import type { AlarmEventFilterInput, AlarmSource, AlarmState } from "../../gql/graphql";

// The alarms console's filters in the address, and the statistics drawn from the events read.

export interface AlarmParams {
  vin: string;
  state: AlarmState | null;
  source: AlarmSource | null;
  minLevel: number | null;
}

export function parseAlarmParams(search: URLSearchParams): AlarmParams {
  const state = search.get("state");
  const source = search.get("source");
  const level = Number(search.get("level"));
  return {
    vin: (search.get("vin") ?? "").trim().toUpperCase().slice(0, 17),
    state: state === "OPEN" || state === "CLOSED" ? state : null,
    source: source === "VEHICLE" || source === "PLATFORM" ? source : null,
    minLevel: Number.isInteger(level) && level >= 1 && level <= 4 ? level : null,
  };
}

export function alarmSearch(params: AlarmParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.vin) search.set("vin", params.vin);
  if (params.state) search.set("state", params.state);
  if (params.source) search.set("source", params.source);
  if (params.minLevel !== null) search.set("level", String(params.minLevel));
  return search;
}

export function alarmFilter(params: AlarmParams): AlarmEventFilterInput {
  return { vin: params.vin || null, state: params.state, source: params.source, minLevel: params.minLevel };
}

interface EventLike {
  peakLevel: number;
  source: string;
  code: string;
  nameZh: string;
  nameEn: string;
  openedAt: string;
}

/** Events per peak level 1..4. */
export function countByLevel(events: readonly EventLike[]): [number, number, number, number] {
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  for (const event of events) {
    const index = Math.max(1, Math.min(4, event.peakLevel)) - 1;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/** The most frequent alarm kinds (a vehicle's bit and a platform rule of the same code are
 * different kinds), most frequent first, ties by code. */
export function topCodes(events: readonly EventLike[], limit = 8): { code: string; nameZh: string; nameEn: string; count: number }[] {
  const byCode = new Map<string, { code: string; nameZh: string; nameEn: string; count: number }>();
  for (const event of events) {
    const key = `${event.source}:${event.code}`;
    const entry = byCode.get(key) ?? { code: event.code, nameZh: event.nameZh, nameEn: event.nameEn, count: 0 };
    entry.count += 1;
    byCode.set(key, entry);
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)).slice(0, limit);
}

/** Events opened per hour, oldest hour first, as [hour start ms, count]. */
export function openedPerHour(events: readonly EventLike[]): [number, number][] {
  const hours = new Map<number, number>();
  for (const event of events) {
    const hour = Math.floor(Date.parse(event.openedAt) / 3_600_000) * 3_600_000;
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
  }
  return [...hours.entries()].sort((a, b) => a[0] - b[0]);
}

/** How long an event has been (or was) open, in whole seconds. */
export function openSeconds(event: { openedAt: string; closedAt?: string | null }, now: Date): number {
  const end = event.closedAt ? Date.parse(event.closedAt) : now.getTime();
  return Math.max(0, Math.floor((end - Date.parse(event.openedAt)) / 1000));
}
