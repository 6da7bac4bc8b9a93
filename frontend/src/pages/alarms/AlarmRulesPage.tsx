import { Card, InputNumber, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useQuery } from "urql";
import { useSession } from "../../auth/SessionProvider";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { AlarmRulesQuery as RulesResult } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useI18n } from "../../i18n/I18nProvider";
import { VehicleModelsQuery } from "../vehicles/documents";
import { useAlarmName } from "./AlarmTable";
import { AlarmRulesQuery, UpdateAlarmRuleMutation } from "./documents";

type Rule = RulesResult["alarmRules"][number];

/** Platform alarm rules of the tenant, or of one vehicle model, with their defaults. */
export function AlarmRulesPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const name = useAlarmName();
  const editable = can(["ALARMS_CONFIGURE"]);
  const [modelId, setModelId] = useState<number | null>(null);
  const [models] = useQuery({ query: VehicleModelsQuery });
  const [{ data, fetching, error }, refetch] = useQuery({ query: AlarmRulesQuery, variables: { modelId } });
  const update = useAction(UpdateAlarmRuleMutation);
  const save = async (rule: Rule, changes: { threshold?: number; level?: number; enabled?: boolean }) => {
    if (await update.run({ rule: { code: rule.code, modelId, ...changes } })) refetch({ requestPolicy: "network-only" });
  };

  return (
    <>
      <PageHeader
        title={t("nav.alarmRules")}
        subtitle={t("rules.subtitle")}
        extra={
          <Select<number | null>
            style={{ width: 220 }}
            value={modelId}
            onChange={(value) => setModelId(value ?? null)}
            options={[{ value: null, label: t("rules.tenantDefault") }, ...(models.data?.vehicleModels ?? []).map((model) => ({ value: model.id, label: model.name }))]}
          />
        }
      />
      <Card size="small">
        {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
        <Table<Rule>
          size="small"
          rowKey="code"
          loading={fetching}
          dataSource={data?.alarmRules ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            {
              title: t("alarms.name"),
              render: (_, rule) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text>{name(rule)}</Typography.Text>
                  <code style={{ fontSize: 11 }}>{rule.code}</code>
                </Space>
              ),
            },
            {
              title: t("rules.threshold"),
              render: (_, rule) =>
                editable ? (
                  <InputNumber size="small" value={rule.threshold} addonAfter={rule.unit} style={{ width: 160 }} onBlur={(event) => { const value = Number(event.target.value); if (Number.isFinite(value) && value !== rule.threshold) void save(rule, { threshold: value }); }} />
                ) : (
                  `${rule.threshold} ${rule.unit}`
                ),
            },
            {
              title: t("alarms.level"),
              render: (_, rule) =>
                editable ? (
                  <Select<number> size="small" value={rule.level} style={{ width: 110 }} onChange={(level) => void save(rule, { level })} options={[1, 2, 3].map((value) => ({ value, label: t(`alarms.level.${value as 1 | 2 | 3}`) }))} />
                ) : (
                  t(`alarms.level.${Math.max(1, Math.min(4, rule.level)) as 1 | 2 | 3 | 4}`)
                ),
            },
            { title: t("rules.default"), render: (_, rule) => `${rule.defaultThreshold} ${rule.unit} · ${t(`alarms.level.${Math.max(1, Math.min(4, rule.defaultLevel)) as 1 | 2 | 3 | 4}`)}` },
            { title: t("rules.enabled"), render: (_, rule) => <Switch size="small" checked={rule.enabled} disabled={!editable} onChange={(enabled) => void save(rule, { enabled })} /> },
            { title: t("rules.origin"), render: (_, rule) => (rule.overridden ? <Tag color="blue">{t("rules.overridden")}</Tag> : <Tag>{t("rules.inherited")}</Tag>) },
          ]}
        />
      </Card>
    </>
  );
}
