import { Badge, Card, Col, Input, Row, Segmented, Select, Space, Statistic, Tabs } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { ErrorNotice } from "../../components/PageState";
import type { AlarmSource, AlarmState } from "../../gql/graphql";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { PRESETS, rangeFromSearch, searchWithRange, type Preset } from "../vehicles/timeRange";
import { AlarmTable } from "./AlarmTable";
import { alarmFilter, alarmSearch, countByLevel, parseAlarmParams, type AlarmParams } from "./alarmMath";
import { CasesTab } from "./CasesTab";
import { AlarmEventsQuery } from "./documents";
import { StatisticsTab } from "./StatisticsTab";
import { useLiveAlarms } from "./useLiveAlarms";

const PAGE_SIZE = 100;
// The subscription re-reads at once; this poll only covers a dropped connection.
const FALLBACK_POLL_MS = 30_000;
const LEVEL_COLORS = ["#faad14", "#fa8c16", "#f5222d", "#c41d7f"];
const TABS = ["events", "cases", "statistics"] as const;
type Tab = (typeof TABS)[number];

function EventsTab({ version }: { version: number }) {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseAlarmParams(search), [search]);
  const pages = useCursorStack();
  const { reset } = pages;
  const key = alarmSearch(params).toString();
  useEffect(() => reset(), [key, reset]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: AlarmEventsQuery, variables: { filter: alarmFilter(params), first: PAGE_SIZE, after: pages.after } });
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    setNow(new Date());
    if (version > 0) refetch({ requestPolicy: "network-only" });
  }, [version, refetch]);
  const rows = data?.alarmEvents.items ?? [];
  const levels = countByLevel(rows);
  const open = rows.filter((row) => row.state === "OPEN").length;
  const update = (changes: Partial<AlarmParams>) => {
    const next = alarmSearch({ ...params, ...changes });
    next.set("tab", "events");
    setSearch(next);
  };

  return (
    <>
      <Row gutter={[8, 8]} style={{ marginBottom: 8 }}>
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
      </Row>
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
    </>
  );
}

export function AlarmsPage() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const tab: Tab = TABS.includes(search.get("tab") as Tab) ? (search.get("tab") as Tab) : "events";
  const [version, setVersion] = useState(0);
  const live = useLiveAlarms(() => setVersion((value) => value + 1));
  useEffect(() => {
    const timer = window.setInterval(() => setVersion((value) => value + 1), FALLBACK_POLL_MS);
    return () => window.clearInterval(timer);
  }, []);
  const rangeKey = `${search.get("range")}|${search.get("from")}|${search.get("to")}`;
  const range = useMemo(() => rangeFromSearch(search, new Date(), "7d"), [rangeKey]);

  return (
    <>
      <PageHeader title={t("nav.alarms")} subtitle={<Badge status={live.connected ? "processing" : "default"} text={live.connected ? t("alarms.liveConnected") : t("alarms.liveOff")} />} />
      <Card size="small">
        <Tabs
          activeKey={tab}
          destroyOnHidden
          onChange={(key) => setSearch(new URLSearchParams({ tab: key }))}
          tabBarExtraContent={
            tab === "statistics" ? (
              <Segmented<Preset>
                size="small"
                value={range.preset ?? "7d"}
                onChange={(value) => setSearch(searchWithRange(search, { preset: value }))}
                options={(Object.keys(PRESETS) as Preset[]).map((value) => ({ value, label: t(`range.${value}`) }))}
              />
            ) : null
          }
          items={[
            { key: "events", label: t("alarms.tab.events"), children: tab === "events" ? <EventsTab version={version} /> : null },
            { key: "cases", label: t("alarms.tab.cases"), children: tab === "cases" ? <CasesTab version={version} /> : null },
            { key: "statistics", label: t("alarms.tab.statistics"), children: tab === "statistics" ? <StatisticsTab from={range.from} to={range.to} /> : null },
          ]}
        />
      </Card>
    </>
  );
}
