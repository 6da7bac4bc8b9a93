import { Badge, Card, Col, Input, Row, Select, Space, Statistic, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { EChart } from "../../charts/EChart";
import type { EChartsOption } from "../../charts/echarts";
import { formatDateTime } from "../../components/DateTime";
import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { ErrorNotice } from "../../components/PageState";
import type { AlarmSource, AlarmState } from "../../gql/graphql";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { AlarmTable, useAlarmName } from "./AlarmTable";
import { alarmFilter, alarmSearch, countByLevel, openedPerHour, parseAlarmParams, topCodes, type AlarmParams } from "./alarmMath";
import { AlarmEventsQuery } from "./documents";

const PAGE_SIZE = 100;
const LIVE_MS = 5000;
const LEVEL_COLORS = ["#faad14", "#fa8c16", "#f5222d", "#c41d7f"];

export function AlarmsPage() {
  const { t } = useI18n();
  const name = useAlarmName();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseAlarmParams(search), [search]);
  const pages = useCursorStack();
  const { reset } = pages;
  const key = alarmSearch(params).toString();
  useEffect(() => reset(), [key, reset]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: AlarmEventsQuery, variables: { filter: alarmFilter(params), first: PAGE_SIZE, after: pages.after } });
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(new Date());
      refetch({ requestPolicy: "network-only" });
    }, LIVE_MS);
    return () => window.clearInterval(timer);
  }, [refetch]);

  const rows = data?.alarmEvents.items ?? [];
  const update = (changes: Partial<AlarmParams>) => setSearch(alarmSearch({ ...params, ...changes }));
  const levels = countByLevel(rows);
  const open = rows.filter((row) => row.state === "OPEN").length;

  const codesOption = useMemo<EChartsOption>(() => {
    const top = topCodes(rows).reverse();
    return {
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: top.map((entry) => name(entry)), axisLabel: { fontSize: 11, width: 120, overflow: "truncate" } },
      series: [{ type: "bar", data: top.map((entry) => entry.count), itemStyle: { color: "#fa541c" }, barMaxWidth: 14 }],
    };
  }, [rows, name]);

  const hourlyOption = useMemo<EChartsOption>(
    () => ({
      animation: false,
      grid: { left: 32, right: 12, top: 8, bottom: 24 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: openedPerHour(rows).map(([hour]) => formatDateTime(new Date(hour).toISOString()).slice(5, 13) + ":00") },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: openedPerHour(rows).map(([, count]) => count), itemStyle: { color: "#1668dc" }, barMaxWidth: 18 }],
    }),
    [rows],
  );

  return (
    <>
      <PageHeader
        title={t("nav.alarms")}
        subtitle={
          <Space>
            <Badge status="processing" text={t("alarms.live", { seconds: LIVE_MS / 1000 })} />
            <Typography.Text type="secondary">{t("alarms.statsOf", { count: rows.length })}</Typography.Text>
          </Space>
        }
      />
      <Row gutter={[8, 8]}>
        <Col xs={12} lg={4}>
          <Card size="small">
            <Statistic title={t("alarms.openNow")} value={open} valueStyle={{ color: open ? "#cf1322" : undefined }} data-testid="alarms-open" />
          </Card>
        </Col>
        {levels.map((count, index) => (
          <Col key={index} xs={12} lg={5}>
            <Card size="small">
              <Statistic title={t(`alarms.level.${(index + 1) as 1 | 2 | 3 | 4}`)} value={count} valueStyle={{ color: LEVEL_COLORS[index] }} />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={12}>
          <Card size="small" title={t("alarms.topCodes")}>
            <EChart option={codesOption} height={200} replace />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("alarms.perHour")}>
            <EChart option={hourlyOption} height={200} />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small">
            <Space wrap style={{ marginBottom: 8 }}>
              <Input.Search allowClear placeholder="VIN" defaultValue={params.vin} key={params.vin} style={{ width: 220 }} onSearch={(value) => update({ vin: value.trim().toUpperCase() })} />
              <Select<AlarmState | null>
                allowClear
                placeholder={t("alarms.state")}
                style={{ width: 120 }}
                value={params.state}
                onChange={(value) => update({ state: value ?? null })}
                options={(["OPEN", "CLOSED"] as const).map((value) => ({ value, label: t(`alarms.state.${value}`) }))}
                data-testid="alarm-state-filter"
              />
              <Select<AlarmSource | null>
                allowClear
                placeholder={t("alarms.source")}
                style={{ width: 140 }}
                value={params.source}
                onChange={(value) => update({ source: value ?? null })}
                options={(["VEHICLE", "PLATFORM"] as const).map((value) => ({ value, label: t(`alarms.source.${value}`) }))}
              />
              <Select<number | null>
                allowClear
                placeholder={t("alarms.minLevel")}
                style={{ width: 150 }}
                value={params.minLevel}
                onChange={(value) => update({ minLevel: value ?? null })}
                options={([1, 2, 3, 4] as const).map((value) => ({ value, label: t("vehicles.atLeast", { level: t(`alarms.level.${value}`) }) }))}
              />
            </Space>
            {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
            <AlarmTable rows={rows} loading={fetching && !data} now={now} />
            <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.alarmEvents.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.alarmEvents.nextCursor)} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
