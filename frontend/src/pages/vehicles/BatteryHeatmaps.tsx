import { Card, Col, Row, Tag } from "antd";
import { useMemo } from "react";
import { useQuery } from "urql";
import { EChart } from "../../charts/EChart";
import type { EChartsOption } from "../../charts/echarts";
import { formatDateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { MatrixKind } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18nProvider";
import { BatteryMatrixQuery } from "./documents";

/** [time index, column index, value] cells of a heatmap; null values are left out. */
export function heatmapCells(rows: readonly (readonly (number | null)[])[]): { cells: [number, number, number][]; min: number; max: number } {
  const cells: [number, number, number][] = [];
  let min = Infinity;
  let max = -Infinity;
  rows.forEach((row, time) =>
    row.forEach((value, column) => {
      if (value === null) return;
      cells.push([time, column, value]);
      if (value < min) min = value;
      if (value > max) max = value;
    }),
  );
  return cells.length ? { cells, min, max } : { cells, min: 0, max: 0 };
}

function Matrix({ vin, kind, from, to }: { vin: string; kind: MatrixKind; from: Date; to: Date }) {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: BatteryMatrixQuery, variables: { vin, kind, from: from.toISOString(), to: to.toISOString(), points: 240 } });
  const matrix = data?.vehicle.batteryMatrix;
  const option = useMemo<EChartsOption | null>(() => {
    if (!matrix || matrix.columns === 0) return null;
    const rows = matrix.values ?? matrix.avg ?? [];
    const { cells, min, max } = heatmapCells(rows);
    const unit = kind === "CELL_VOLTAGES" ? "mV" : "°C";
    return {
      animation: false,
      grid: { left: 48, right: 72, top: 8, bottom: 40 },
      tooltip: { formatter: (params: unknown) => { const v = (params as { value: [number, number, number] }).value; return `${formatDateTime(matrix.times[v[0]])}<br/>#${v[1] + 1}: ${v[2]} ${unit}`; } },
      xAxis: { type: "category", data: matrix.times.map((time) => formatDateTime(time).slice(5, 16)), axisLabel: { fontSize: 10 } },
      yAxis: { type: "category", data: Array.from({ length: matrix.columns }, (_, index) => String(index + 1)), axisLabel: { fontSize: 10 }, name: kind === "CELL_VOLTAGES" ? t("battery.cell") : t("battery.probe") },
      visualMap: { min, max, calculable: true, orient: "vertical", right: 4, top: "middle", itemHeight: 120, text: [unit, ""], inRange: { color: ["#313695", "#4575b4", "#abd9e9", "#ffffbf", "#fdae61", "#d73027", "#a50026"] } },
      dataZoom: [{ type: "inside", xAxisIndex: 0 }, { type: "slider", xAxisIndex: 0, height: 14, bottom: 4 }],
      series: [{ type: "heatmap", data: cells, progressive: 5000 }],
    };
  }, [matrix, kind, t]);

  return (
    <Card
      size="small"
      title={kind === "CELL_VOLTAGES" ? t("battery.cellVoltages") : t("battery.probeTemperatures")}
      extra={matrix?.bucketSeconds ? <Tag>{t("charts.bucketed", { seconds: matrix.bucketSeconds })}</Tag> : null}
      loading={fetching && !data}
    >
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {option ? <EChart option={option} height={320} replace testId={`matrix-${kind}`} /> : !error && <EmptyState text={t("charts.noData")} />}
    </Card>
  );
}

export function BatteryHeatmaps({ vin, from, to }: { vin: string; from: Date; to: Date }) {
  return (
    <Row gutter={[8, 8]}>
      <Col xs={24} xl={12}>
        <Matrix vin={vin} kind="CELL_VOLTAGES" from={from} to={to} />
      </Col>
      <Col xs={24} xl={12}>
        <Matrix vin={vin} kind="PROBE_TEMPERATURES" from={from} to={to} />
      </Col>
    </Row>
  );
}
