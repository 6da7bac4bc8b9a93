import { Button, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useQuery } from "urql";
import { DateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { SecurityAlertFieldsFragment } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useI18n } from "../../i18n/I18nProvider";
import { prettyJson } from "./auditMath";
import { AcknowledgePlatformSecurityAlertMutation, AcknowledgeSecurityAlertMutation, PlatformSecurityAlertsQuery, SecurityAlertsQuery } from "./documents";

const KNOWN_KINDS = new Set(["brute_force", "repeated_denials", "cross_tenant", "storage_quota"]);

/** Security alerts (open ones, or all), each acknowledged once it has been looked at. */
export function SecurityAlertsTab({ platform }: { platform: boolean }) {
  const { t } = useI18n();
  const [all, setAll] = useState(false);
  const variables = { includeAcknowledged: all };
  const [tenantAlerts, refetchTenant] = useQuery({ query: SecurityAlertsQuery, variables, pause: platform });
  const [platformAlerts, refetchPlatform] = useQuery({ query: PlatformSecurityAlertsQuery, variables, pause: !platform });
  const acknowledgeTenant = useAction(AcknowledgeSecurityAlertMutation);
  const acknowledgePlatform = useAction(AcknowledgePlatformSecurityAlertMutation);
  const state = platform ? platformAlerts : tenantAlerts;
  const alerts = (platform ? platformAlerts.data?.platformSecurityAlerts : tenantAlerts.data?.securityAlerts) ?? [];
  const reload = () => (platform ? refetchPlatform : refetchTenant)({ requestPolicy: "network-only" });
  const acknowledge = async (alertId: number) => {
    const done = platform ? await acknowledgePlatform.run({ alertId }, t("audit.acknowledged")) : await acknowledgeTenant.run({ alertId }, t("audit.acknowledged"));
    if (done) reload();
  };
  const kindText = (kind: string) => (KNOWN_KINDS.has(kind) ? t(`audit.alertKind.${kind as "brute_force"}`) : kind);

  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Switch checked={all} onChange={setAll} data-testid="alerts-all" />
        <Typography.Text>{t("audit.includeAcknowledged")}</Typography.Text>
      </Space>
      {state.error && <ErrorNotice error={state.error} onRetry={reload} />}
      <Table<SecurityAlertFieldsFragment>
        rowKey="id"
        size="small"
        loading={state.fetching}
        dataSource={alerts}
        pagination={{ pageSize: 50, size: "small", hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyState text={t("audit.noAlerts")} /> }}
        expandable={{ expandedRowRender: (alert) => <pre className="ng-mono" style={{ margin: 0 }}>{prettyJson(alert.details)}</pre> }}
        data-testid="alerts-table"
        columns={[
          { title: t("audit.alertKind"), render: (_, alert) => <Tag color="volcano">{kindText(alert.kind)}</Tag> },
          ...(platform ? [{ title: t("audit.tenant"), dataIndex: "tenant", render: (tenant: string | null) => tenant ?? "—" }] : []),
          { title: t("audit.subject"), dataIndex: "subject", render: (subject: string) => <span className="ng-mono">{subject}</span> },
          { title: t("audit.count"), dataIndex: "count", width: 70 },
          { title: t("audit.firstSeen"), render: (_, alert) => <DateTime value={alert.firstSeen} /> },
          { title: t("audit.lastSeen"), render: (_, alert) => <DateTime value={alert.lastSeen} /> },
          {
            title: "",
            width: 140,
            render: (_, alert) =>
              alert.acknowledged ? (
                <Typography.Text type="secondary">{t("audit.acknowledgedBy", { who: alert.acknowledgedBy ?? "—" })}</Typography.Text>
              ) : (
                <Button size="small" loading={acknowledgeTenant.busy || acknowledgePlatform.busy} onClick={() => void acknowledge(alert.id)} data-testid={`acknowledge-alert-${alert.id}`}>
                  {t("audit.acknowledge")}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
