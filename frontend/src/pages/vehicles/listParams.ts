import type { VehicleFilterInput, VehicleOrderInput, VehicleSortKey } from "../../gql/graphql";

// The vehicle list's filters and order live in the address, so a view can be bookmarked,
// shared and restored with the back button.
export type StateFilter = "online" | "offline" | "charging";

export interface ListParams {
  vin: string;
  modelId: number | null;
  state: StateFilter | null;
  minAlarmLevel: number | null;
  sort: VehicleSortKey;
  descending: boolean;
}

const SORT_KEYS: readonly VehicleSortKey[] = ["VIN", "LAST_FRAME_AT", "SOC", "ALARM_LEVEL"];
const STATES: readonly StateFilter[] = ["online", "offline", "charging"];

function wholeNumber(text: string | null, min: number, max: number): number | null {
  if (text === null || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

export function parseListParams(search: URLSearchParams): ListParams {
  const sort = search.get("sort");
  const state = search.get("state");
  return {
    vin: (search.get("vin") ?? "").trim().toUpperCase().slice(0, 17),
    modelId: wholeNumber(search.get("model"), 1, 2 ** 31 - 1),
    state: STATES.includes(state as StateFilter) ? (state as StateFilter) : null,
    minAlarmLevel: wholeNumber(search.get("level"), 1, 3),
    sort: SORT_KEYS.includes(sort as VehicleSortKey) ? (sort as VehicleSortKey) : "VIN",
    descending: search.get("desc") === "1",
  };
}

export function listSearch(params: ListParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.vin) search.set("vin", params.vin);
  if (params.modelId !== null) search.set("model", String(params.modelId));
  if (params.state) search.set("state", params.state);
  if (params.minAlarmLevel !== null) search.set("level", String(params.minAlarmLevel));
  if (params.sort !== "VIN") search.set("sort", params.sort);
  if (params.descending) search.set("desc", "1");
  return search;
}

export function toFilter(params: ListParams): VehicleFilterInput {
  return {
    vinPrefix: params.vin || null,
    modelId: params.modelId,
    online: params.state === "online" ? true : params.state === "offline" ? false : null,
    charging: params.state === "charging" ? true : null,
    minAlarmLevel: params.minAlarmLevel,
  };
}

export function toOrder(params: ListParams): VehicleOrderInput {
  return { key: params.sort, descending: params.descending };
}
