import type { MessageKey } from "../../i18n/catalogs";

/** Hex bytes in groups of two, 16 bytes a line, with the offset in front (a hex-dump layout). */
export function hexDump(hex: string, perLine = 16): string {
  const bytes = hex.replace(/\s+/g, "").match(/.{1,2}/g) ?? [];
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += perLine) {
    lines.push(`${offset.toString(16).padStart(4, "0")}  ${bytes.slice(offset, offset + perLine).join(" ").toUpperCase()}`);
  }
  return lines.join("\n");
}

// Command identifiers, PROTOCOL.md §4 (GB/T 32960.3 Table 4), by their names in the catalogs.
const COMMANDS: Record<number, MessageKey> = {
  1: "frames.command.vehicle_login",
  2: "frames.command.realtime",
  3: "frames.command.reissue",
  4: "frames.command.vehicle_logout",
  5: "frames.command.platform_login",
  6: "frames.command.platform_logout",
  7: "frames.command.heartbeat",
  8: "frames.command.time_calibration",
};

/** The catalog key of a command, or null for one the standard does not name. */
export function commandKey(command: number): MessageKey | null {
  return COMMANDS[command] ?? null;
}

export function commandHex(command: number): string {
  return `0x${command.toString(16).padStart(2, "0")}`;
}
