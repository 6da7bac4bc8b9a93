import { ApiOutlined, CarOutlined, ThunderboltOutlined, WarningOutlined, WifiOutlined, DisconnectOutlined, FieldTimeOutlined } from "@ant-design/icons";
import { Badge, Card, Col, List, Progress, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from "antd";
import { useEffect, useMemo, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { useQuery, useSubscription } from "urql";
import { useSession } from "../../auth/SessionProvider";
import { AlarmTicker } from "../alarms/AlarmTicker";
import { formatDateTime } from "../../components/DateTime";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { FleetEventsSubscription as EventResult, FleetOverviewQuery as OverviewResult } from "../../gql/graphql";
import type { MessageKey } from "../../i18n/catalogs";
import { useI18n } from "../../i18n/I18nProvider";
import { FleetEventsSubscription, FleetOverviewQuery, RecentFleetEventsQuery } from "./documents";
import { FleetMap } from "./FleetMap";
import { freshness, mapPoints, mergeEvents, silentLongerThan, tickerTime } from "./fleetMath";
import { useFleetStates } from "./useFleetStates";

type FleetEvent = EventResult["fleetEvents"];
type ModelRow = OverviewResult["fleetOverview"]["byModel"][number];
const TICKER_LENGTH = 40;
const EVENT_LABELS: Record<string, MessageKey> = {
  login: "fleetEvent.login",
  logout: "fleetEvent.logout",
  connected: "fleetEvent.connected",
  disconnected: "fleetEvent.disconnected",
};

function Kpi({ title, value, icon, color, testId }: { title: string; value: ReactNode; icon: ReactNode; color?: string; testId?: string }) {
  return (
    <Card size="small" className="ng-kpi">
      <Statistic title={<Space size={4}>{icon}{title}</Space>} value={value as number | string} valueStyle={{ color, fontSize: 22 }} data-testid={testId} />
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [overview, refetchOverview] = useQuery({ query: FleetOverviewQuery, requestPolicy: "cache-and-network" });
  const fleet = useFleetStates();
  const [events] = useSubscription<EventResult, FleetEvent[]>({ query: FleetEventsSubscription }, (previous = [], event) => [event.fleetEvents, ...previous].slice(0, TICKER_LENGTH));
  // The list starts from the newest stored events; the subscription adds what happens next.
  const [recent] = useQuery({ query: RecentFleetEventsQuery, variables: { limit: TICKER_LENGTH }, requestPolicy: "network-only" });
  const eventList = mergeEvents(events.data ?? [], recent.data?.recentFleetEvents ?? [], TICKER_LENGTH);

  useEffect(() => {
    const timer = window.setInterval(() => refetchOverview({ requestPolicy: "network-only" }), 10_000);
    return () => window.clearInterval(timer);
  }, [refetchOverview]);

  const now = fleet.updatedAt ?? new Date();
  const counts = overview.data?.fleetOverview.counts;
  const points = useMemo(() => mapPoints(fleet.vehicles), [fleet.vehicles]);
  const fresh = useMemo(() => freshness(fleet.vehicles, now), [fleet.vehicles, now]);
  const silent = (days: number) =>
    fleet.complete ? (
      silentLongerThan(fleet.vehicles, days, now)
    ) : (
      <Tooltip title={t("dashboard.partialFleet")}>—</Tooltip>
    );
  const onlineTotal = fresh.current + fresh.late + fresh.stale;

  return (
    <>
      <PageHeader
        title={t("nav.dashboard")}
        subtitle={overview.data ? t("dashboard.measuredAt", { at: formatDateTime(overview.data.fleetOverview.at) }) : undefined}
      />
      {overview.error && <ErrorNotice error={overview.error} onRetry={() => refetchOverview({ requestPolicy: "network-only" })} />}
      <Row gutter={[8, 8]}>
        {[
          { key: "total", title: t("dashboard.kpi.total"), value: counts?.total, icon: <CarOutlined /> },
          { key: "online", title: t("dashboard.kpi.online"), value: counts?.online, icon: <WifiOutlined />, color: "#389e0d" },
          { key: "driving", title: t("dashboard.kpi.driving"), value: counts?.driving, icon: <ApiOutlined />, color: "#1668dc" },
          { key: "charging", title: t("dashboard.kpi.charging"), value: counts?.charging, icon: <ThunderboltOutlined />, color: "#13a8a8" },
          { key: "alarming", title: t("dashboard.kpi.alarming"), value: counts?.alarming, icon: <WarningOutlined />, color: "#cf1322" },
          { key: "offline", title: t("dashboard.kpi.offline"), value: counts?.offline, icon: <DisconnectOutlined />, color: "#8c8c8c" },
        ].map((kpi) => (
          <Col key={kpi.key} xs={12} sm={8} lg={3}>
            <Kpi title={kpi.title} value={kpi.value ?? "—"} icon={kpi.icon} color={kpi.color} testId={`kpi-${kpi.key}`} />
          </Col>
        ))}
        <Col xs={12} sm={8} lg={3}>
          <Kpi title={t("dashboard.kpi.silent60")} value={silent(60)} icon={<FieldTimeOutlined />} color="#d48806" />
        </Col>
        <Col xs={12} sm={8} lg={3}>
          <Kpi title={t("dashboard.kpi.silent90")} value={silent(90)} icon={<FieldTimeOutlined />} color="#ad4e00" />
        </Col>
        <Col xs={24} xl={16}>
          <Card
            size="small"
            title={t("dashboard.map", { count: points.length })}
            loading={fleet.loading && fleet.vehicles.length === 0}
            data-testid="fleet-map-card"
            data-loaded={fleet.updatedAt ? "true" : "false"}
          >
            {fleet.error && <ErrorNotice error={fleet.error} onRetry={fleet.reload} />}
            <FleetMap points={points} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" size={8} style={{ width: "100%" }}>
            {can(["ALARMS_READ"]) && (
              <Card size="small" title={<Space><Badge status="error" />{t("dashboard.alarmTicker")}</Space>}>
                <AlarmTicker />
              </Card>
            )}
            <Card size="small" title={<Space><Badge status="processing" />{t("dashboard.liveEvents")}</Space>}>
              {events.error && <ErrorNotice error={events.error} />}
              {recent.error && <ErrorNotice error={recent.error} />}
              <div className="ng-ticker" data-testid="event-ticker">
                <List
                  size="small"
                  dataSource={eventList}
                  locale={{ emptyText: <EmptyState text={t("dashboard.waitingEvents")} /> }}
                  renderItem={(event) => (
                    <List.Item style={{ padding: "4px 0" }}>
                      <Space size={6}>
                        <Tag color={event.online ? "green" : "default"}>{EVENT_LABELS[event.kind] ? t(EVENT_LABELS[event.kind] as MessageKey) : event.kind}</Tag>
                        <Link to={`/vehicles/${event.vin}`} className="ng-mono">
                          {event.vin}
                        </Link>
                      </Space>
                      <Typography.Text type="secondary" className="ng-mono">
                        {tickerTime(event.at, now, formatDateTime)}
                      </Typography.Text>
                    </List.Item>
                  )}
                />
              </div>
            </Card>
            <Card size="small" title={t("dashboard.ingestHealth")} data-testid="ingest-health">
              <Typography.Text type="secondary">{t("dashboard.freshnessOf", { online: onlineTotal })}</Typography.Text>
              {[
                { key: "current", value: fresh.current, color: "#52c41a" },
                { key: "late", value: fresh.late, color: "#faad14" },
                { key: "stale", value: fresh.stale, color: "#f5222d" },
              ].map((row) => (
                <div key={row.key}>
                  <Typography.Text style={{ fontSize: 12 }}>{t(`dashboard.fresh.${row.key as "current" | "late" | "stale"}`)}</Typography.Text>
                  <Progress percent={onlineTotal ? Math.round((row.value / onlineTotal) * 100) : 0} strokeColor={row.color} size="small" format={() => row.value} />
                </div>
              ))}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fleet.updatedAt ? t("dashboard.refreshedAt", { at: formatDateTime(fleet.updatedAt.toISOString()).slice(11) }) : null}
              </Typography.Text>
            </Card>
          </Space>
        </Col>
        <Col span={24}>
          <Card size="small" title={t("dashboard.byModel")}>
            <Table<ModelRow>
              size="small"
              rowKey={(row) => String(row.modelId ?? "none")}
              pagination={false}
              loading={overview.fetching && !overview.data}
              dataSource={overview.data?.fleetOverview.byModel ?? []}
              locale={{ emptyText: <EmptyState /> }}
              columns={[
                { title: t("vehicles.model"), render: (_, row) => row.model?.name ?? t("vehicles.noModel") },
                { title: t("dashboard.kpi.total"), render: (_, row) => row.counts.total },
                { title: t("dashboard.kpi.online"), render: (_, row) => row.counts.online },
                { title: t("dashboard.kpi.driving"), render: (_, row) => row.counts.driving },
                { title: t("dashboard.kpi.charging"), render: (_, row) => row.counts.charging },
                { title: t("dashboard.kpi.alarming"), render: (_, row) => (row.counts.alarming ? <Typography.Text type="danger">{row.counts.alarming}</Typography.Text> : 0) },
                {
                  title: t("dashboard.onlineShare"),
                  render: (_, row) => <Progress size="small" percent={row.counts.total ? Math.round((row.counts.online / row.counts.total) * 100) : 0} style={{ width: 160 }} />,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
