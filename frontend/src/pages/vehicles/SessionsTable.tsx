import { Table, Tag } from "antd";
import { useQuery } from "urql";
import { DateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { SessionsQuery as SessionsResult } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18nProvider";
import { SessionsQuery } from "./documents";

type Row = SessionsResult["vehicle"]["sessions"][number];

export function durationText(start: string, end: string | null, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round(((end ? Date.parse(end) : now.getTime()) - Date.parse(start)) / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${hours}:${String(minutes).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

export function SessionsTable({ vin, from, to }: { vin: string; from: Date; to: Date }) {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: SessionsQuery, variables: { vin, from: from.toISOString(), to: to.toISOString() } });
  return (
    <>
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <Table<Row>
        size="small"
        rowKey="start"
        loading={fetching}
        dataSource={[...(data?.vehicle.sessions ?? [])].reverse()}
        pagination={{ pageSize: 20, hideOnSinglePage: true, size: "small" }}
        locale={{ emptyText: <EmptyState /> }}
        columns={[
          { title: t("sessions.start"), dataIndex: "start", render: (value: string) => <DateTime value={value} /> },
          { title: t("sessions.end"), dataIndex: "end", render: (value: string | null) => (value ? <DateTime value={value} /> : <Tag color="green">{t("sessions.ongoing")}</Tag>) },
          { title: t("sessions.duration"), render: (_, row) => <span className="ng-mono">{durationText(row.start, row.end ?? null)}</span> },
          { title: t("sessions.startedBy"), dataIndex: "startedBy" },
          { title: t("sessions.endReason"), dataIndex: "endReason", render: (value: string | null) => value ?? "—" },
        ]}
      />
    </>
  );
}
