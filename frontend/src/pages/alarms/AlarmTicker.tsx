import { List, Space, Typography } from "antd";
import { useEffect } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { formatDateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import { useI18n } from "../../i18n/I18nProvider";
import { AlarmLevel, useAlarmName } from "./AlarmTable";
import { AlarmEventsQuery } from "./documents";
import { useLiveAlarms } from "./useLiveAlarms";

/** The newest open alarm events, re-read on every pushed change (and by a slow poll). */
export function AlarmTicker({ refreshMs = 30_000 }: { refreshMs?: number }) {
  const { t } = useI18n();
  const name = useAlarmName();
  const [{ data, error }, refetch] = useQuery({ query: AlarmEventsQuery, variables: { filter: { state: "OPEN" }, first: 20 } });
  useLiveAlarms(() => refetch({ requestPolicy: "network-only" }));
  useEffect(() => {
    const timer = window.setInterval(() => refetch({ requestPolicy: "network-only" }), refreshMs);
    return () => window.clearInterval(timer);
  }, [refetch, refreshMs]);
  if (error) return <ErrorNotice error={error} />;
  return (
    <div className="ng-ticker" data-testid="alarm-ticker">
      <List
        size="small"
        dataSource={data?.alarmEvents.items ?? []}
        locale={{ emptyText: <EmptyState text={t("alarms.noneOpen")} /> }}
        renderItem={(row) => (
          <List.Item style={{ padding: "4px 0" }}>
            <Space size={4} style={{ minWidth: 0 }}>
              <AlarmLevel level={row.peakLevel} emergency={row.emergency} />
              <Typography.Text ellipsis style={{ maxWidth: 150 }}>
                {name(row)}
              </Typography.Text>
              <Link to={`/vehicles/${row.vin}`} className="ng-mono">
                {row.vin.slice(-8)}
              </Link>
            </Space>
            <Typography.Text type="secondary" className="ng-mono">
              {formatDateTime(row.openedAt).slice(11)}
            </Typography.Text>
          </List.Item>
        )}
      />
    </div>
  );
}
