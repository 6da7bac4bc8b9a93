import { Badge, Descriptions, Drawer, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router-dom";
import { DateTime } from "../../components/DateTime";
import { EmptyState } from "../../components/PageState";
import { durationText } from "../vehicles/SessionsTable";
import type { AlarmEventsQuery as EventsResult } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18nProvider";

export type AlarmRow = EventsResult["alarmEvents"]["items"][number];

const LEVEL_COLORS = ["gold", "orange", "red", "magenta"];

export function AlarmLevel({ level, emergency }: { level: number; emergency?: boolean }) {
  const { t } = useI18n();
  const clamped = Math.max(1, Math.min(4, level)) as 1 | 2 | 3 | 4;
  return (
    <Tag color={LEVEL_COLORS[clamped - 1]}>
      {t(`alarms.level.${clamped}`)}
      {emergency ? ` · ${t("alarms.emergency")}` : ""}
    </Tag>
  );
}

export function useAlarmName(): (row: Pick<AlarmRow, "nameZh" | "nameEn">) => string {
  const { locale } = useI18n();
  return (row) => (locale === "en" ? row.nameEn : row.nameZh);
}

function AlarmDetail({ row }: { row: AlarmRow }) {
  const { t } = useI18n();
  const name = useAlarmName();
  return (
    <Descriptions column={1} bordered size="small">
      <Descriptions.Item label={t("alarms.name")}>{name(row)}</Descriptions.Item>
      <Descriptions.Item label={t("alarms.code")}>
        <code>{row.code}</code> · {t(`alarms.source.${row.source}`)}
      </Descriptions.Item>
      <Descriptions.Item label="VIN">
        <Link to={`/vehicles/${row.vin}?tab=live`} className="ng-mono">
          {row.vin}
        </Link>
      </Descriptions.Item>
      <Descriptions.Item label={t("alarms.level")}>
        <AlarmLevel level={row.level} /> {t("alarms.peak")} <AlarmLevel level={row.peakLevel} emergency={row.emergency} />
      </Descriptions.Item>
      <Descriptions.Item label={t("alarms.state")}>{row.state === "OPEN" ? <Badge status="error" text={t("alarms.state.OPEN")} /> : <Badge status="default" text={t("alarms.state.CLOSED")} />}</Descriptions.Item>
      <Descriptions.Item label={t("alarms.openedAt")}>
        <DateTime value={row.openedAt} />
      </Descriptions.Item>
      <Descriptions.Item label={t("alarms.lastSeenAt")}>
        <DateTime value={row.lastSeenAt} />
      </Descriptions.Item>
      <Descriptions.Item label={t("alarms.closedAt")}>
        <DateTime value={row.closedAt ?? null} />
      </Descriptions.Item>
      <Descriptions.Item label={t("alarms.duration")}>{durationText(row.openedAt, row.closedAt ?? null)}</Descriptions.Item>
      <Descriptions.Item label={t("alarms.frames")}>
        {row.frameCount} · {t("alarms.reopened", { n: row.reopenCount })}
        {row.flapping && <Tag color="purple" style={{ marginLeft: 8 }}>{t("alarms.flapping")}</Tag>}
        {row.historical && <Tag style={{ marginLeft: 8 }}>{t("alarms.historical")}</Tag>}
      </Descriptions.Item>
      <Descriptions.Item label={t("alarms.faultCodes")}>{row.faultCodes.length ? row.faultCodes.map((code) => <Tag key={code} className="ng-mono">{code}</Tag>) : "—"}</Descriptions.Item>
      <Descriptions.Item label={t("alarms.compliance")}>
        {row.complianceFlags.length
          ? row.complianceFlags.map((flag) => (
              <div key={flag.kind}>
                <Tag color="red">{t(`alarms.flag.${flag.kind}`)}</Tag>
                <DateTime value={flag.detectedAt} />
              </div>
            ))
          : "—"}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** Alarm events with their level, state and duration; a row opens its details in a drawer. */
export function AlarmTable({ rows, loading, showVin = true, now = new Date() }: { rows: AlarmRow[]; loading: boolean; showVin?: boolean; now?: Date }) {
  const { t } = useI18n();
  const name = useAlarmName();
  const [open, setOpen] = useState<AlarmRow | null>(null);
  return (
    <>
      <Table<AlarmRow>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <EmptyState text={t("alarms.none")} /> }}
        onRow={(row) => ({ onClick: () => setOpen(row), style: { cursor: "pointer" } })}
        data-testid="alarm-table"
        columns={[
          { title: t("alarms.level"), render: (_, row) => <AlarmLevel level={row.peakLevel} emergency={row.emergency} /> },
          {
            title: t("alarms.name"),
            render: (_, row) => (
              <Space size={4}>
                <Typography.Text strong={row.state === "OPEN"}>{name(row)}</Typography.Text>
                {row.complianceFlags.length > 0 && (
                  <Tooltip title={row.complianceFlags.map((flag) => t(`alarms.flag.${flag.kind}`)).join(", ")}>
                    <Tag color="red">{t("alarms.compliance")}</Tag>
                  </Tooltip>
                )}
              </Space>
            ),
          },
          ...(showVin
            ? [
                {
                  title: "VIN",
                  render: (_: unknown, row: AlarmRow) => (
                    <Link to={`/vehicles/${row.vin}`} className="ng-mono" onClick={(event) => event.stopPropagation()}>
                      {row.vin}
                    </Link>
                  ),
                },
              ]
            : []),
          { title: t("alarms.source"), render: (_, row) => t(`alarms.source.${row.source}`) },
          { title: t("alarms.state"), render: (_, row) => (row.state === "OPEN" ? <Badge status="error" text={t("alarms.state.OPEN")} /> : <Badge status="default" text={t("alarms.state.CLOSED")} />) },
          { title: t("alarms.openedAt"), render: (_, row) => <DateTime value={row.openedAt} /> },
          { title: t("alarms.duration"), render: (_, row) => <span className="ng-mono">{durationText(row.openedAt, row.closedAt ?? null, now)}</span> },
          { title: t("alarms.frames"), dataIndex: "frameCount" },
        ]}
      />
      <Drawer open={open !== null} width={560} title={open ? name(open) : ""} onClose={() => setOpen(null)} destroyOnHidden>
        {open && <AlarmDetail row={open} />}
      </Drawer>
    </>
  );
}
