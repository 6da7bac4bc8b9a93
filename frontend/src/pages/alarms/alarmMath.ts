import type { AlarmEventFilterInput, AlarmSource, AlarmState } from "../../gql/graphql";

// The alarms console's filters in the address, and the level counts of the events listed.

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

/** Events per peak level 1..4. */
export function countByLevel(events: readonly { peakLevel: number }[]): [number, number, number, number] {
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  for (const event of events) {
    const index = Math.max(1, Math.min(4, event.peakLevel)) - 1;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}
