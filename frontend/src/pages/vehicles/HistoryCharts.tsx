import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Col, Row, Space, Spin, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useClient, useQuery } from "urql";
import { EChart } from "../../charts/EChart";
import { echarts, type EChartsOption } from "../../charts/echarts";
import { formatDateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { MessageKey } from "../../i18n/catalogs";
import { useI18n } from "../../i18n/I18nProvider";
import { VehicleHistoryQuery } from "./documents";
import { download, historyCsv } from "./historyCsv";
import { needsDetail, pointBudget, seriesOf, spliceWindow, type SeriesPoint } from "./seriesMath";

interface Group {
  key: string;
  label: MessageKey;
  unit: string;
  signals: readonly string[];
  colors: readonly string[];
}

const GROUPS: readonly Group[] = [
  { key: "speed", label: "charts.speed", unit: "km/h", signals: ["speed_kmh"], colors: ["#1668dc"] },
  { key: "soc", label: "charts.soc", unit: "%", signals: ["soc_pct"], colors: ["#52c41a"] },
  { key: "voltage", label: "charts.voltage", unit: "V", signals: ["total_voltage_v"], colors: ["#722ed1"] },
  { key: "current", label: "charts.current", unit: "A", signals: ["total_current_a"], colors: ["#fa8c16"] },
  { key: "insulation", label: "charts.insulation", unit: "kΩ", signals: ["insulation_kohm"], colors: ["#13c2c2"] },
  { key: "temperature", label: "charts.temperature", unit: "°C", signals: ["max_temperature_c", "min_temperature_c"], colors: ["#f5222d", "#2f54eb"] },
  { key: "cellVoltage", label: "charts.cellVoltage", unit: "mV", signals: ["max_cell_voltage_mv", "min_cell_voltage_mv"], colors: ["#eb2f96", "#597ef7"] },
];
const SIGNALS = GROUPS.flatMap((group) => group.signals);
const SYNC_GROUP = "vehicle-history";

type Points = Record<string, SeriesPoint[]>;

function pointsOf(history: Parameters<typeof seriesOf>[0]): Points {
  return Object.fromEntries(SIGNALS.map((signal) => [signal, seriesOf(history, signal)]));
}

function chartOption(group: Group, points: Points, from: number, to: number, signalName: (signal: string) => string): EChartsOption {
  const bucketed = points[group.signals[0] ?? ""]?.some((point) => point[2] !== point[3]) ?? false;
  const lines = group.signals.map((signal, index) => ({
    type: "line" as const,
    name: signalName(signal),
    showSymbol: false,
    sampling: "lttb" as const,
    lineStyle: { width: 1.2 },
    itemStyle: { color: group.colors[index] },
    data: (points[signal] ?? []).map((point) => [point[0], point[1]]),
  }));
  const band =
    bucketed && group.signals.length === 1
      ? [
          { type: "line" as const, stack: "band", symbol: "none", lineStyle: { opacity: 0 }, tooltip: { show: false }, data: (points[group.signals[0] ?? ""] ?? []).map((point) => [point[0], point[2]]) },
          {
            type: "line" as const,
            stack: "band",
            symbol: "none",
            lineStyle: { opacity: 0 },
            areaStyle: { color: group.colors[0], opacity: 0.15 },
            tooltip: { show: false },
            data: (points[group.signals[0] ?? ""] ?? []).map((point) => [point[0], point[3] !== null && point[2] !== null ? point[3] - point[2] : null]),
          },
        ]
      : [];
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 26, bottom: 22 },
    tooltip: { trigger: "axis", axisPointer: { type: "cross", snap: true } },
    legend: group.signals.length > 1 ? { top: 0, right: 8, textStyle: { fontSize: 11 } } : undefined,
    title: { text: group.unit, textStyle: { fontSize: 11, fontWeight: "normal", color: "#8c8c8c" }, left: 4, top: 2 },
    xAxis: { type: "time", min: from, max: to },
    yAxis: { type: "value", scale: true, splitNumber: 3 },
    dataZoom: [{ type: "inside", filterMode: "none" }],
    series: [...band, ...lines],
  };
}

/**
 * Speed, SOC, voltage, current, insulation and temperatures of one vehicle over a range. The
 * first read covers the whole range within a point budget (the server buckets long ranges);
 * zooming into a window reads that window again at full budget and splices it in.
 */
export function HistoryCharts({ vin, from, to }: { vin: string; from: Date; to: Date }) {
  const { t } = useI18n();
  const client = useClient();
  const container = useRef<HTMLDivElement>(null);
  const budget = useMemo(() => pointBudget(container.current?.clientWidth ?? 1200), []);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: VehicleHistoryQuery,
    variables: { vin, signals: SIGNALS, from: from.toISOString(), to: to.toISOString(), points: budget },
  });
  const overview = useMemo(() => (data ? pointsOf(data.vehicle.history) : null), [data]);
  const [detail, setDetail] = useState<{ points: Points; from: number; to: number; bucketSeconds: number | null } | null>(null);
  const [loadingDetail, setLoadingDetail] = useState(false);
  const [rendered, setRendered] = useState(false);
  const zoomTimer = useRef<number | undefined>(undefined);

  useEffect(() => setDetail(null), [vin, from, to]);

  const shown = useMemo<Points | null>(() => {
    if (!overview) return null;
    if (!detail) return overview;
    return Object.fromEntries(SIGNALS.map((signal) => [signal, spliceWindow(overview[signal] ?? [], detail.points[signal] ?? [], detail.from, detail.to)]));
  }, [overview, detail]);

  const readWindow = useCallback(
    async (start: number, end: number) => {
      if (!overview || !needsDetail(overview[SIGNALS[0] ?? ""] ?? [], start, end, budget)) return;
      setLoadingDetail(true);
      const result = await client
        .query(VehicleHistoryQuery, { vin, signals: SIGNALS, from: new Date(start).toISOString(), to: new Date(end).toISOString(), points: budget }, { requestPolicy: "network-only" })
        .toPromise();
      setLoadingDetail(false);
      if (result.data) setDetail({ points: pointsOf(result.data.vehicle.history), from: start, to: end, bucketSeconds: result.data.vehicle.history.bucketSeconds ?? null });
    },
    [client, vin, overview, budget],
  );

  const onReady = useCallback(
    (chart: echarts.ECharts) => {
      chart.group = SYNC_GROUP;
      echarts.connect(SYNC_GROUP);
      chart.on("finished", () => setRendered(true));
      chart.on("datazoom", () => {
        const axis = (chart.getOption() as { dataZoom?: { startValue?: number; endValue?: number }[] }).dataZoom?.[0];
        if (axis?.startValue === undefined || axis.endValue === undefined) return;
        window.clearTimeout(zoomTimer.current);
        const start = axis.startValue;
        const end = axis.endValue;
        zoomTimer.current = window.setTimeout(() => void readWindow(start, end), 400);
      });
    },
    [readWindow],
  );

  const history = data?.vehicle.history;
  const empty = shown !== null && SIGNALS.every((signal) => (shown[signal] ?? []).every((point) => point[1] === null));
  const options = useMemo(
    () => (shown ? GROUPS.map((group) => chartOption(group, shown, from.getTime(), to.getTime(), (signal) => t(`signal.${signal}` as MessageKey))) : []),
    [shown, from, to, t],
  );

  const exportCsv = () => {
    if (!shown) return;
    // Buckets anywhere (the overview, or a zoomed window spliced into it) get avg/min/max
    // columns; a raw record then shows its value in all three.
    const bucketed = history?.source !== "RAW" || (detail !== null && detail.bucketSeconds !== null);
    const columns = GROUPS.flatMap((group) => group.signals.map((signal) => ({ signal, title: `${t(`signal.${signal}` as MessageKey)} (${group.unit})` })));
    const labels = { time: `${t("charts.exportTime")} (UTC${dayjs().format("Z")})`, avg: t("charts.avg"), min: t("charts.min"), max: t("charts.max") };
    const csv = historyCsv(shown, columns, bucketed, labels, (ms) => formatDateTime(new Date(ms).toISOString()));
    download(`${vin}_${formatDateTime(from.toISOString()).replace(/\D/g, "")}_${formatDateTime(to.toISOString()).replace(/\D/g, "")}.csv`, csv);
  };

  return (
    <div ref={container} data-testid="history-charts" data-rendered={rendered ? "true" : "false"}>
      <Space style={{ marginBottom: 8 }} wrap>
        {history && (
          <Tag color={history.source === "RAW" ? "green" : "blue"}>
            {history.source === "RAW" ? t("charts.raw") : t("charts.bucketed", { seconds: history.bucketSeconds ?? 0 })}
          </Tag>
        )}
        {detail && <Tag color="purple">{t("charts.detail", { seconds: detail.bucketSeconds ?? 0 })}</Tag>}
        {(fetching || loadingDetail) && <Spin size="small" />}
        {detail && (
          <Button size="small" onClick={() => setDetail(null)}>
            {t("charts.resetDetail")}
          </Button>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("charts.zoomHint")}
        </Typography.Text>
        {shown && !empty && (
          <Button size="small" icon={<DownloadOutlined />} onClick={exportCsv} data-testid="history-export">
            {t("charts.exportCsv")}
          </Button>
        )}
      </Space>
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {!error && empty && <Alert type="info" showIcon title={t("charts.noData")} />}
      {!shown && !error && <EmptyState text={t("common.loading")} />}
      {shown && !empty && (
        <Row gutter={[8, 4]}>
          {GROUPS.map((group, index) => (
            <Col key={group.key} xs={24} lg={12}>
              <Typography.Text strong style={{ fontSize: 12 }}>
                {t(group.label)}
              </Typography.Text>
              <EChart option={options[index] ?? {}} height={170} onReady={onReady} testId={`chart-${group.key}`} />
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}
