import { Segmented, Space, Typography } from "antd";
import { useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { EChart } from "../../charts/EChart";
import { CHINA_MAP, registerChinaMap } from "../../charts/chinaMap";
import type { EChartsOption } from "../../charts/echarts";
import { useRuntimeConfig } from "../../config/RuntimeConfigContext";
import { useI18n } from "../../i18n/I18nProvider";
import type { MapPoint } from "./fleetMath";

registerChinaMap();

const LEVEL_COLORS = ["#1677ff", "#faad14", "#fa541c", "#cf1322"];

/** Vehicle positions on the bundled outline map of China, as points or as a density heatmap. */
export function FleetMap({ points, height = 460 }: { points: MapPoint[]; height?: number }) {
  const { t } = useI18n();
  const config = useRuntimeConfig();
  const navigate = useNavigate();
  const [mode, setMode] = useState<"points" | "heat">("points");

  const option = useMemo<EChartsOption>(() => {
    const geo = {
      map: CHINA_MAP,
      roam: true,
      zoom: 1.15,
      center: [104.5, 36],
      itemStyle: { areaColor: "#f0f5ff", borderColor: "#adc6ff" },
      emphasis: { itemStyle: { areaColor: "#d6e4ff" }, label: { show: false } },
      label: { show: false },
    };
    if (mode === "heat") {
      return {
        geo,
        tooltip: { show: false },
        visualMap: { min: 0, max: Math.max(3, Math.ceil(points.length / 40)), calculable: true, inRange: { color: ["#bae0ff", "#69b1ff", "#faad14", "#f5222d"] }, left: 8, bottom: 8, textStyle: { fontSize: 11 } },
        series: [{ type: "heatmap", coordinateSystem: "geo", data: points.map(([lon, lat]) => [lon, lat, 1]), pointSize: 8, blurSize: 12 }],
      };
    }
    return {
      geo,
      tooltip: { trigger: "item", formatter: (params: unknown) => String((params as { value: MapPoint }).value[3]) },
      series: [0, 1, 2, 3].map((level) => ({
        type: level > 0 ? "effectScatter" : "scatter",
        name: t(`alarm.level.${level as 0 | 1 | 2 | 3}`),
        coordinateSystem: "geo",
        symbolSize: level > 0 ? 9 : 6,
        itemStyle: { color: LEVEL_COLORS[level] },
        data: points.filter((point) => Math.min(point[2], 3) === level),
        zlevel: level,
      })),
      legend: { bottom: 8, left: 8, orient: "vertical", textStyle: { fontSize: 11 } },
    };
  }, [points, mode, t]);

  return (
    <div>
      <Space style={{ marginBottom: 4, justifyContent: "space-between", width: "100%" }}>
        <Segmented
          size="small"
          value={mode}
          onChange={(value) => setMode(value === "heat" ? "heat" : "points")}
          options={[
            { value: "points", label: t("dashboard.mapPoints") },
            { value: "heat", label: t("dashboard.mapHeat") },
          ]}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {config.mapTileUrl ? t("dashboard.mapDatumTiles") : t("dashboard.mapDatum")}
        </Typography.Text>
      </Space>
      <EChart
        option={option}
        height={height}
        replace
        testId="fleet-map"
        onReady={(chart) =>
          chart.on("click", (params) => {
            const value = (params as { value?: unknown }).value;
            if (Array.isArray(value) && typeof value[3] === "string") navigate(`/vehicles/${value[3]}`);
          })
        }
      />
    </div>
  );
}
