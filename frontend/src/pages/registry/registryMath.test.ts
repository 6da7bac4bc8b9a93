import { describe, expect, it } from "vitest";
import { blankToNull, changedFields } from "./registryMath";

describe("changedFields", () => {
  type Fields = { usageType: string; modelId: number | null; saleDate: string | null; productionBatch: string | null; batteryPackLot: string | null };
  const vehicle: Fields = { usageType: "PRIVATE", modelId: 3, saleDate: "2024-05-01", productionBatch: "B1", batteryPackLot: null };

  it("sends nothing for an untouched form", () => {
    expect(changedFields(vehicle, { ...vehicle })).toEqual({});
    expect(changedFields(vehicle, { ...vehicle, productionBatch: " B1 ", batteryPackLot: "" })).toEqual({});
  });

  it("sends the changed fields, and null for a cleared one", () => {
    expect(changedFields(vehicle, { ...vehicle, usageType: "OPERATING", modelId: null, productionBatch: "  " })).toEqual({
      usageType: "OPERATING",
      modelId: null,
      productionBatch: null,
    });
    expect(changedFields(vehicle, { ...vehicle, batteryPackLot: "L-9 " })).toEqual({ batteryPackLot: "L-9" });
  });

  it("compares numbers by value", () => {
    const model = { name: "A", cellCount: 96, ratedCapacityKwh: 60 };
    expect(changedFields(model, { ...model, ratedCapacityKwh: 60.5 })).toEqual({ ratedCapacityKwh: 60.5 });
  });
});

describe("blankToNull", () => {
  it("keeps values and turns blanks and absent values into null", () => {
    expect(blankToNull(undefined)).toBeNull();
    expect(blankToNull("")).toBeNull();
    expect(blankToNull(0)).toBe(0);
    expect(blankToNull(false)).toBe(false);
  });
});
