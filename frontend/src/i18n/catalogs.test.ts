import { describe, expect, it } from "vitest";
import { en } from "./en";
import { interpolate } from "./format";
import { zhCN } from "./zh-CN";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const HAN = /\p{Script=Han}/u;

describe("message catalogs", () => {
  it("have the same keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it("have no empty messages", () => {
    for (const catalog of [zhCN, en]) {
      for (const [key, text] of Object.entries(catalog)) expect(text.trim(), key).not.toBe("");
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });

  it("keep Chinese out of the English catalog", () => {
    for (const [key, text] of Object.entries(en)) expect(HAN.test(text), key).toBe(false);
  });
});

describe("interpolate", () => {
  it("fills placeholders", () => {
    expect(interpolate("第 {page} 页，共 {total}", { page: 2, total: "10" })).toBe("第 2 页，共 10");
  });

  it("leaves unknown placeholders visible and templates without values alone", () => {
    expect(interpolate("{a} and {b}", { a: 1 })).toBe("1 and {b}");
    expect(interpolate("plain {x}")).toBe("plain {x}");
  });
});
