import { Select, Space, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { CursorPager } from "../../components/CursorPager";
import { DateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { AlarmCaseFieldsFragment, AlarmCaseState } from "../../gql/graphql";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { AlarmLevel, useAlarmName } from "./AlarmTable";
import { CaseDrawer, CaseStateTag } from "./CaseDrawer";
import { AlarmCasesQuery } from "./caseDocuments";
import { SlaTimerTag } from "./SlaTimerTag";

const STATES: readonly AlarmCaseState[] = ["OPEN", "ACKNOWLEDGED", "ASSIGNED", "DISPOSED"];

/** Alarm cases with their SLA timers; the case id in the address opens its drawer. */
export function CasesTab({ version }: { version: number }) {
  const { t } = useI18n();
  const name = useAlarmName();
  const [search, setSearch] = useSearchParams();
  const stateParam = search.get("caseState");
  const state = STATES.includes(stateParam as AlarmCaseState) ? (stateParam as AlarmCaseState) : null;
  const pages = useCursorStack();
  const { reset } = pages;
  useEffect(() => reset(), [state, reset]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: AlarmCasesQuery, variables: { filter: { state }, first: 100, after: pages.after } });
  useEffect(() => {
    if (version > 0) refetch({ requestPolicy: "network-only" });
  }, [version, refetch]);
  const [, setTick] = useState(0);
  const openCase = search.get("case");
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setSearch(next);
  };

  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Select<AlarmCaseState | null>
          allowClear
          placeholder={t("alarms.state")}
          style={{ width: 140 }}
          value={state}
          onChange={(value) => setParam("caseState", value ?? null)}
          options={STATES.map((value) => ({ value, label: t(`cases.state.${value}`) }))}
        />
        <Typography.Text type="secondary">{t("cases.slaNote")}</Typography.Text>
      </Space>
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <Table<AlarmCaseFieldsFragment>
        size="small"
        rowKey="id"
        loading={fetching && !data}
        dataSource={data?.alarmCases.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState text={t("cases.none")} /> }}
        onRow={(row) => ({ onClick: () => setParam("case", row.id), style: { cursor: "pointer" } })}
        data-testid="case-table"
        columns={[
          { title: t("alarms.level"), render: (_, row) => <AlarmLevel level={row.level} /> },
          { title: t("alarms.name"), render: (_, row) => name(row) },
          {
            title: "VIN",
            render: (_, row) => (
              <Link to={`/vehicles/${row.vin}`} className="ng-mono" onClick={(event) => event.stopPropagation()}>
                {row.vin}
              </Link>
            ),
          },
          { title: t("alarms.state"), render: (_, row) => <CaseStateTag state={row.state} /> },
          { title: t("cases.openedAt"), render: (_, row) => <DateTime value={row.openedAt} /> },
          { title: t("cases.confirmSla"), render: (_, row) => <SlaTimerTag due={row.confirmDue} doneAt={row.acknowledgedAt} /> },
          { title: t("cases.disposeSla"), render: (_, row) => <SlaTimerTag due={row.disposeDue} doneAt={row.disposedAt} /> },
          { title: t("cases.assignee"), render: (_, row) => row.assignee ?? "—" },
          { title: t("cases.escalationsShort"), render: (_, row) => (row.escalations > 0 ? <Tag color="volcano">{row.escalations}</Tag> : 0) },
        ]}
      />
      <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.alarmCases.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.alarmCases.nextCursor)} />
      <CaseDrawer
        caseId={openCase}
        onClose={() => setParam("case", null)}
        onChanged={() => {
          setTick((value) => value + 1);
          refetch({ requestPolicy: "network-only" });
        }}
      />
    </>
  );
}
