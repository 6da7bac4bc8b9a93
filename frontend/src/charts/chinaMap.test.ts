import { describe, expect, it } from "vitest";
import { chinaGeoJson } from "./chinaMap";

describe("bundled China map", () => {
  it("reads the provinces out of the package's file", () => {
    const map = chinaGeoJson();
    expect(map.type).toBe("FeatureCollection");
    const names = map.features.map((feature) => (feature as { properties: { name: string } }).properties.name);
    expect(names).toEqual(expect.arrayContaining(["北京", "上海", "广东", "新疆", "西藏", "台湾"]));
    expect(names.length).toBeGreaterThanOrEqual(34);
  });

  it("refuses a file of another shape", () => {
    expect(() => chinaGeoJson("module.exports = {}")).toThrow(/unexpected shape/);
  });
});
