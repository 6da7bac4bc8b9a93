// Pure helpers of the fleet dashboard: positions for the map, how fresh the data is, and how
// long vehicles have been silent. Coordinates are WGS-84 as the vehicles report them
// (GB/T 32960 §7.2.3.5).

export interface StateSample {
  vin: string;
  latestState: {
    online: boolean;
    lastFrameAt: string;
    longitudeDeg?: number | null;
    latitudeDeg?: number | null;
    alarmLevel?: number | null;
    driving: boolean;
    charging: boolean;
  } | null;
}

// A generous box around China's territory: a position outside it is a sensor or GNSS fault,
// drawn nowhere rather than in the sea.
const LONGITUDE = [73, 136] as const;
const LATITUDE = [3, 54] as const;

export type MapPoint = [longitude: number, latitude: number, alarmLevel: number, vin: string];

export function mapPoints(vehicles: readonly StateSample[]): MapPoint[] {
  const points: MapPoint[] = [];
  for (const vehicle of vehicles) {
    const state = vehicle.latestState;
    const lon = state?.longitudeDeg;
    const lat = state?.latitudeDeg;
    if (lon == null || lat == null) continue;
    if (lon < LONGITUDE[0] || lon > LONGITUDE[1] || lat < LATITUDE[0] || lat > LATITUDE[1]) continue;
    points.push([lon, lat, state?.alarmLevel ?? 0, vehicle.vin]);
  }
  return points;
}

export interface Freshness {
  /** Online vehicles whose last frame is at most 30 s old (one reporting period, §11). */
  current: number;
  /** Online, last frame between 30 s and 5 min old. */
  late: number;
  /** Online by the link flag but silent for longer (the API's online timeout decides). */
  stale: number;
}

export function freshness(vehicles: readonly StateSample[], now: Date): Freshness {
  const result: Freshness = { current: 0, late: 0, stale: 0 };
  for (const vehicle of vehicles) {
    const state = vehicle.latestState;
    if (!state?.online) continue;
    const age = (now.getTime() - new Date(state.lastFrameAt).getTime()) / 1000;
    if (age <= 30) result.current += 1;
    else if (age <= 300) result.late += 1;
    else result.stale += 1;
  }
  return result;
}

const DAY_MS = 86_400_000;

/** Vehicles silent for more than `days` (never-connected ones are counted apart). */
export function silentLongerThan(vehicles: readonly StateSample[], days: number, now: Date): number {
  const limit = now.getTime() - days * DAY_MS;
  return vehicles.filter((vehicle) => vehicle.latestState && new Date(vehicle.latestState.lastFrameAt).getTime() < limit).length;
}

export interface LinkEvent {
  vin: string;
  kind: string;
  at: string;
  online?: boolean | null;
}

/** The event list: what the subscription brought (newest first) over the stored recent events
 * it started from, each event once, newest first, at most `keep`. */
export function mergeEvents<E extends LinkEvent>(live: readonly E[], recent: readonly E[], keep: number): E[] {
  const seen = new Set<string>();
  const merged: E[] = [];
  for (const event of [...live, ...recent]) {
    const key = `${event.vin}|${event.kind}|${Date.parse(event.at)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(event);
  }
  return merged.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, keep);
}

/** A list entry's time: the clock time for today's events, with the date (MM-DD) for older
 * ones (the recent events reach back a day). `format` gives "YYYY-MM-DD HH:mm:ss". */
export function tickerTime(at: string, now: Date, format: (value: string) => string): string {
  const text = format(at);
  return text.slice(0, 10) === format(now.toISOString()).slice(0, 10) ? text.slice(11) : text.slice(5, 16);
}
