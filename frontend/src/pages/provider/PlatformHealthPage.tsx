import { Card, Col, Row, Statistic, Table, Badge, Progress } from "antd";
import { useEffect, useMemo } from "react";
import { useQuery } from "urql";
import { EChart } from "../../charts/EChart";
import type { EChartsOption } from "../../charts/echarts";
import { PageHeader } from "../../components/PageHeader";
import { ErrorNotice } from "../../components/PageState";
import type { PlatformHealthQuery as HealthResult } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18nProvider";
import { PlatformHealthQuery } from "./documents";
import { quotaPercent, quotaStatus } from "./quotas";

type TenantRow = HealthResult["tenants"]["items"][number];
type GatewayRow = HealthResult["platformHealth"]["gateways"][number];
type IngestRow = HealthResult["platformHealth"]["ingest"][number];

// A gateway reports every few seconds (docs/gateway.md); silence beyond this means trouble.
const GATEWAY_STALE_S = 30;

const seconds = (value: number | null | undefined) => (value === null || value === undefined ? "—" : `${value.toFixed(1)} s`);

export function PlatformHealthPage() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: PlatformHealthQuery });
  const health = data?.platformHealth;
  const tenants = data?.tenants.items ?? [];
  useEffect(() => {
    const timer = window.setInterval(() => refetch({ requestPolicy: "network-only" }), 10_000);
    return () => window.clearInterval(timer);
  }, [refetch]);
  const ingestOf = new Map((health?.ingest ?? []).map((row) => [row.tenant, row]));
  const option = useMemo<EChartsOption>(
    () => ({
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: tenants.map((tenant) => tenant.slug) },
      yAxis: { type: "value" },
      series: [
        { type: "bar", name: t("tenants.vehicles"), data: tenants.map((tenant) => tenant.vehicleCount), itemStyle: { color: "#1668dc" } },
        { type: "bar", name: t("tenants.quotaVehicles"), data: tenants.map((tenant) => tenant.quotas.vehicles ?? 0), itemStyle: { color: "#d9d9d9" } },
      ],
    }),
    [tenants, t],
  );

  return (
    <>
      <PageHeader title={t("nav.platformHealth")} subtitle={t("health.subtitle")} />
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}>
          <Card loading={fetching && !health}>
            <Statistic title={t("health.tenants")} value={health?.tenants ?? 0} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={fetching && !health}>
            <Statistic title={t("health.activeTenants")} value={health?.activeTenants ?? 0} valueStyle={{ color: "#389e0d" }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={fetching && !health}>
            <Statistic title={t("health.suspendedTenants")} value={health?.suspendedTenants ?? 0} valueStyle={{ color: "#cf1322" }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={fetching && !health}>
            <Statistic title={t("health.vehicles")} value={health?.vehicles ?? 0} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t("health.gateways")} size="small">
            <Table<GatewayRow>
              rowKey="gateway"
              size="small"
              pagination={false}
              loading={fetching && !health}
              dataSource={health?.gateways ?? []}
              columns={[
                { title: t("health.gateway"), dataIndex: "gateway", render: (value: string, row) => <Badge status={row.reportAgeS > GATEWAY_STALE_S ? "error" : "success"} text={<code>{value}</code>} /> },
                { title: t("health.connections"), dataIndex: "connections" },
                { title: t("health.spool"), dataIndex: "spoolRecords", render: (value: number) => (value > 0 ? <Badge status="warning" text={value} /> : 0) },
                { title: t("health.reportAge"), dataIndex: "reportAgeS", render: (value: number) => seconds(value) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t("health.ingest")} size="small">
            <Table<IngestRow>
              rowKey="tenant"
              size="small"
              pagination={false}
              loading={fetching && !health}
              dataSource={health?.ingest ?? []}
              columns={[
                { title: t("tenants.slug"), dataIndex: "tenant", render: (value: string) => <code>{value}</code> },
                { title: t("health.connectedVehicles"), dataIndex: "connectedVehicles" },
                { title: t("health.framesPerSecond"), dataIndex: "framesPerSecond", render: (value: number) => value.toFixed(1) },
                { title: t("health.commitLag"), dataIndex: "commitLagS", render: (value: number | null) => seconds(value) },
                { title: t("health.newestCommit"), dataIndex: "newestCommitAgeS", render: (value: number | null) => seconds(value) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("health.vehiclesPerTenant")}>
            <EChart option={option} height={280} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("health.perTenant")}>
            <Table<TenantRow>
              rowKey="slug"
              size="small"
              pagination={false}
              loading={fetching}
              dataSource={tenants}
              columns={[
                { title: t("tenants.slug"), dataIndex: "slug", render: (value: string) => <code>{value}</code> },
                { title: t("tenants.name"), dataIndex: "name" },
                { title: t("users.status"), dataIndex: "status", render: (status: string) => <Badge status={status === "active" ? "success" : "error"} text={status === "active" ? t("tenants.active") : t("tenants.suspended")} /> },
                { title: t("health.connectedVehicles"), render: (_, row) => ingestOf.get(row.slug)?.connectedVehicles ?? 0 },
                {
                  title: t("health.quotaUse"),
                  render: (_, row) => {
                    const percent = quotaPercent(row.vehicleCount, row.quotas.vehicles);
                    return percent === null ? "—" : <Progress percent={percent} size="small" status={quotaStatus(percent)} />;
                  },
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
