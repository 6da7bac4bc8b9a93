import { describe, expect, it } from "vitest";
import { listSearch, parseListParams, toFilter, toOrder } from "./listParams";

describe("vehicle list parameters in the address", () => {
  it("round-trip", () => {
    const params = { vin: "LSG", modelId: 3, state: "charging" as const, minAlarmLevel: 2, sort: "SOC" as const, descending: true };
    expect(parseListParams(listSearch(params))).toEqual(params);
    expect(listSearch(params).toString()).toBe("vin=LSG&model=3&state=charging&level=2&sort=SOC&desc=1");
  });

  it("default to the whole fleet by VIN", () => {
    const params = parseListParams(new URLSearchParams(""));
    expect(params).toEqual({ vin: "", modelId: null, state: null, minAlarmLevel: null, sort: "VIN", descending: false });
    expect(listSearch(params).toString()).toBe("");
  });

  it("ignore values a hand-edited address may carry", () => {
    const params = parseListParams(new URLSearchParams("vin=%20lsgjy05w0lt0000020000&model=-1&state=parked&level=9&sort=DROP&desc=yes"));
    expect(params).toEqual({ vin: "LSGJY05W0LT000002", modelId: null, state: null, minAlarmLevel: null, sort: "VIN", descending: false });
  });

  it("become the API's filter and order", () => {
    const base = parseListParams(new URLSearchParams("vin=LS&state=offline&level=1"));
    expect(toFilter(base)).toEqual({ vinPrefix: "LS", modelId: null, online: false, charging: null, minAlarmLevel: 1 });
    expect(toFilter({ ...base, state: "online" }).online).toBe(true);
    expect(toFilter({ ...base, state: "charging" })).toMatchObject({ online: null, charging: true });
    expect(toOrder({ ...base, sort: "LAST_FRAME_AT", descending: true })).toEqual({ key: "LAST_FRAME_AT", descending: true });
  });
});
