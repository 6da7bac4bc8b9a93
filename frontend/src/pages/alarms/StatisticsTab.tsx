import { Card, Col, Row, Statistic, Table } from "antd";
import { useMemo } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { EChart } from "../../charts/EChart";
import type { EChartsOption } from "../../charts/echarts";
import { DateTime } from "../../components/DateTime";
import { ErrorNotice } from "../../components/PageState";
import type { AlarmStatisticsQuery as StatsResult } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18nProvider";
import { durationText } from "../vehicles/SessionsTable";
import { AlarmLevel, useAlarmName } from "./AlarmTable";
import { AlarmStatisticsQuery } from "./caseDocuments";

type TopVehicle = StatsResult["alarmStatistics"]["topVehicles"][number];
const LEVEL_COLORS = ["#faad14", "#fa8c16", "#f5222d", "#c41d7f"];

function seconds(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : durationText(new Date(0).toISOString(), new Date(value * 1000).toISOString());
}

/** Alarm statistics of a range from the API (counts, types, days, vehicles, SLA). */
export function StatisticsTab({ from, to }: { from: Date; to: Date }) {
  const { t } = useI18n();
  const name = useAlarmName();
  const [{ data, fetching, error }, refetch] = useQuery({ query: AlarmStatisticsQuery, variables: { from: from.toISOString(), to: to.toISOString() } });
  const stats = data?.alarmStatistics;
  const breaches = (stats?.slaBreaches.confirmBreached ?? 0) + (stats?.slaBreaches.disposeBreached ?? 0);

  const levelOption = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: "item" },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      series: [
        {
          type: "pie",
          radius: ["40%", "70%"],
          data: (stats?.byLevel ?? []).map((entry) => ({ name: t(`alarms.level.${Math.max(1, Math.min(4, entry.level)) as 1 | 2 | 3 | 4}`), value: entry.count, itemStyle: { color: LEVEL_COLORS[entry.level - 1] } })),
        },
      ],
    }),
    [stats, t],
  );
  const typeOption = useMemo<EChartsOption>(() => {
    const types = [...(stats?.byType ?? [])].reverse();
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: types.map((entry) => name(entry)), axisLabel: { fontSize: 11, width: 130, overflow: "truncate" } },
      series: [{ type: "bar", data: types.map((entry) => entry.count), itemStyle: { color: "#fa541c" }, barMaxWidth: 14 }],
    };
  }, [stats, name]);
  const dayOption = useMemo<EChartsOption>(
    () => ({
      grid: { left: 36, right: 12, top: 8, bottom: 24 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: (stats?.byDay ?? []).map((entry) => entry.day) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: (stats?.byDay ?? []).map((entry) => entry.count), itemStyle: { color: "#1668dc" }, barMaxWidth: 24 }],
    }),
    [stats],
  );

  return (
    <div data-testid="alarm-statistics">
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <Row gutter={[8, 8]}>
        <Col xs={12} lg={6}>
          <Card size="small" loading={fetching && !stats}>
            <Statistic title={t("stats.cases")} value={stats?.slaBreaches.cases ?? 0} suffix={<span style={{ fontSize: 12 }}>{t("stats.openCases", { n: stats?.slaBreaches.openCases ?? 0 })}</span>} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" loading={fetching && !stats}>
            <Statistic title={t("stats.breaches")} value={breaches} valueStyle={breaches > 0 ? { color: "#cf1322" } : undefined} suffix={<span style={{ fontSize: 12 }}>{t("stats.breachSplit", { confirm: stats?.slaBreaches.confirmBreached ?? 0, dispose: stats?.slaBreaches.disposeBreached ?? 0 })}</span>} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" loading={fetching && !stats}>
            <Statistic title={t("stats.timeToAck")} value={seconds(stats?.timeToAcknowledge.p50Seconds)} suffix={<span style={{ fontSize: 12 }}>p90 {seconds(stats?.timeToAcknowledge.p90Seconds)}</span>} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" loading={fetching && !stats}>
            <Statistic title={t("stats.timeToDispose")} value={seconds(stats?.timeToDispose.p50Seconds)} suffix={<span style={{ fontSize: 12 }}>p90 {seconds(stats?.timeToDispose.p90Seconds)}</span>} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t("stats.byLevel")}>
            <EChart option={levelOption} height={240} replace />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card size="small" title={t("alarms.topCodes")}>
            <EChart option={typeOption} height={240} replace />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("stats.byDay")}>
            <EChart option={dayOption} height={240} replace />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("stats.topVehicles")}>
            <Table<TopVehicle>
              size="small"
              rowKey="vin"
              pagination={false}
              dataSource={stats?.topVehicles ?? []}
              columns={[
                { title: "VIN", render: (_, row) => <Link to={`/vehicles/${row.vin}?tab=alarms`} className="ng-mono">{row.vin}</Link> },
                { title: t("stats.count"), dataIndex: "count" },
                { title: t("alarms.peak"), render: (_, row) => <AlarmLevel level={row.peakLevel} /> },
                { title: t("stats.lastOpened"), render: (_, row) => <DateTime value={row.lastOpenedAt} /> },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
