import { CaretRightOutlined, PauseOutlined } from "@ant-design/icons";
import { Button, Slider, Space, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useQuery } from "urql";
import { EChart } from "../../charts/EChart";
import { CHINA_MAP, registerChinaMap } from "../../charts/chinaMap";
import type { EChartsOption } from "../../charts/echarts";
import { formatDateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import { useI18n } from "../../i18n/I18nProvider";
import { VehicleHistoryQuery } from "./documents";
import { seriesOf } from "./seriesMath";

registerChinaMap();

export interface TrackPoint {
  time: number;
  position: [number, number];
  speed: number | null;
}

/** Positions with both coordinates, in time order (buckets give the average position). */
export function trackOf(history: Parameters<typeof seriesOf>[0]): TrackPoint[] {
  const lon = seriesOf(history, "longitude_deg");
  const lat = seriesOf(history, "latitude_deg");
  const speed = seriesOf(history, "speed_kmh");
  const track: TrackPoint[] = [];
  lon.forEach((point, index) => {
    const latitude = lat[index]?.[1];
    if (point[1] === null || latitude === null || latitude === undefined) return;
    track.push({ time: point[0], position: [point[1], latitude], speed: speed[index]?.[1] ?? null });
  });
  return track;
}

/** The bounding box of a track, padded, as ECharts geo `boundingCoords`-like center and zoom. */
export function viewOf(track: readonly TrackPoint[]): { center: [number, number]; zoom: number } {
  if (track.length === 0) return { center: [104.5, 36], zoom: 1.15 };
  const lons = track.map((point) => point.position[0]);
  const lats = track.map((point) => point.position[1]);
  const span = Math.max(Math.max(...lons) - Math.min(...lons), Math.max(...lats) - Math.min(...lats), 0.05);
  const center: [number, number] = [(Math.max(...lons) + Math.min(...lons)) / 2, (Math.max(...lats) + Math.min(...lats)) / 2];
  // The whole map spans about 60 degrees at zoom 1; leave a margin around the track.
  return { center, zoom: Math.min(400, Math.max(1, 40 / span)) };
}

export function TrackReplay({ vin, from, to }: { vin: string; from: Date; to: Date }) {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: VehicleHistoryQuery,
    variables: { vin, signals: ["longitude_deg", "latitude_deg", "speed_kmh"], from: from.toISOString(), to: to.toISOString(), points: 2000 },
  });
  const track = useMemo(() => (data ? trackOf(data.vehicle.history) : []), [data]);
  const [cursor, setCursor] = useState(0);
  const [playing, setPlaying] = useState(false);

  useEffect(() => setCursor(Math.max(0, track.length - 1)), [track]);
  useEffect(() => {
    if (!playing) return undefined;
    const timer = window.setInterval(() => setCursor((value) => (value + 1 < track.length ? value + 1 : value)), 80);
    return () => window.clearInterval(timer);
  }, [playing, track.length]);
  useEffect(() => {
    if (playing && cursor >= track.length - 1) setPlaying(false);
  }, [cursor, playing, track.length]);

  const view = useMemo(() => viewOf(track), [track]);
  const option = useMemo<EChartsOption>(() => {
    const current = track[cursor];
    return {
      animation: false,
      geo: { map: CHINA_MAP, roam: true, center: view.center, zoom: view.zoom, itemStyle: { areaColor: "#f5f5f5", borderColor: "#bfbfbf" }, emphasis: { disabled: true }, label: { show: false } },
      series: [
        { type: "lines", coordinateSystem: "geo", polyline: true, data: [{ coords: track.map((point) => point.position) }], lineStyle: { color: "#bae0ff", width: 2 } },
        { type: "lines", coordinateSystem: "geo", polyline: true, data: [{ coords: track.slice(0, cursor + 1).map((point) => point.position) }], lineStyle: { color: "#1668dc", width: 3 } },
        { type: "effectScatter", coordinateSystem: "geo", data: current ? [current.position] : [], symbolSize: 10, itemStyle: { color: "#f5222d" } },
      ],
    };
  }, [track, cursor, view]);

  if (error) return <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!fetching && track.length === 0) return <EmptyState text={t("track.none")} />;
  const current = track[cursor];
  return (
    <div data-testid="track-replay">
      <Space style={{ width: "100%", marginBottom: 8 }}>
        <Button size="small" icon={playing ? <PauseOutlined /> : <CaretRightOutlined />} onClick={() => { if (!playing && cursor >= track.length - 1) setCursor(0); setPlaying(!playing); }}>
          {playing ? t("track.pause") : t("track.play")}
        </Button>
        <Typography.Text className="ng-mono">{current ? `${formatDateTime(new Date(current.time).toISOString())} · ${current.speed?.toFixed(1) ?? "—"} km/h · ${current.position[0].toFixed(5)}, ${current.position[1].toFixed(5)}` : ""}</Typography.Text>
      </Space>
      <Slider min={0} max={Math.max(0, track.length - 1)} value={cursor} onChange={setCursor} tooltip={{ formatter: (value) => (value !== undefined && track[value] ? formatDateTime(new Date(track[value].time).toISOString()) : "") }} />
      <EChart option={option} height={480} replace />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("dashboard.mapDatum")}
      </Typography.Text>
    </div>
  );
}
