// @vitest-environment jsdom
import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FIRST_PAGE, back, current, forward, useCursorStack } from "./cursorStack";

describe("cursor stack", () => {
  it("goes forward by cursor and back to earlier cursors", () => {
    const two = forward(forward(FIRST_PAGE, "c1"), "c2");
    expect(current(two)).toBe("c2");
    expect(current(back(two))).toBe("c1");
    expect(current(back(back(two)))).toBeNull();
    expect(back(FIRST_PAGE)).toBe(FIRST_PAGE);
  });

  it("stays on the last page when there is no next cursor", () => {
    expect(forward(FIRST_PAGE, null)).toBe(FIRST_PAGE);
    expect(forward(FIRST_PAGE, undefined)).toBe(FIRST_PAGE);
  });

  it("drives a table's pager through the hook", () => {
    const { result } = renderHook(() => useCursorStack());
    expect(result.current).toMatchObject({ after: null, page: 1, canGoBack: false });
    act(() => result.current.next("c1"));
    expect(result.current).toMatchObject({ after: "c1", page: 2, canGoBack: true });
    act(() => result.current.previous());
    expect(result.current).toMatchObject({ after: null, page: 1 });
    act(() => result.current.next("c1"));
    act(() => result.current.reset());
    expect(result.current.page).toBe(1);
  });
});
