import { describe, expect, it } from "vitest";
import { NAVIGATION } from "./navigation";
import { NAV_ICONS } from "./navIcons";

describe("side menu icons", () => {
  it("has an icon for every page of the menu and none for pages it does not list", () => {
    const pages = NAVIGATION.flatMap((section) => section.items.map((item) => item.path));
    expect(pages.filter((path) => NAV_ICONS[path] === undefined)).toEqual([]);
    expect(Object.keys(NAV_ICONS).filter((path) => !pages.includes(path))).toEqual([]);
  });
});
