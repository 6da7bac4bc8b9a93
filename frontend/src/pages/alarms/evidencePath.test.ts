import { describe, expect, it } from "vitest";
import { evidencePath } from "./evidencePath";

describe("evidencePath", () => {
  it("keeps any file name intact in the query", () => {
    expect(evidencePath("0b7c", "仪表 照片#1&2.jpg")).toBe("/alarm-cases/0b7c/evidence?file_name=%E4%BB%AA%E8%A1%A8%20%E7%85%A7%E7%89%87%231%262.jpg");
    expect(new URL(evidencePath("0b7c", "a+b?.png"), "http://x").searchParams.get("file_name")).toBe("a+b?.png");
  });
});
