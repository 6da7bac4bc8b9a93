import { Card, Tabs } from "antd";
import { useSearchParams } from "react-router-dom";
import { PageHeader } from "../../components/PageHeader";
import { useI18n } from "../../i18n/I18nProvider";
import { AuditLogTab } from "./AuditLogTab";
import { SecurityAlertsTab } from "./SecurityAlertsTab";

/** The audit log and security alerts: a tenant admin's slice (`platform` false) or the whole platform. */
export function AuditPage({ platform }: { platform: boolean }) {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const tab = search.get("tab") === "alerts" ? "alerts" : "log";
  return (
    <>
      <PageHeader title={t(platform ? "nav.platformAudit" : "nav.audit")} subtitle={t(platform ? "audit.platformSubtitle" : "audit.subtitle")} />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearch({ tab: key })}
          destroyOnHidden
          items={[
            { key: "log", label: t("audit.log"), children: <AuditLogTab platform={platform} /> },
            { key: "alerts", label: t("audit.alerts"), children: <SecurityAlertsTab platform={platform} /> },
          ]}
        />
      </Card>
    </>
  );
}
