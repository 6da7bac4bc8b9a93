import { Button, DatePicker, Descriptions, Drawer, Input, Select, Space, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { CursorPager } from "../../components/CursorPager";
import { DateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { AuditEntryFieldsFragment, AuditResult } from "../../gql/graphql";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { auditFilter, auditSearch, beforeOf, parseAuditParams, prettyJson, RESULTS, type AuditParams } from "./auditMath";
import { AuditLogQuery, PlatformAuditLogQuery } from "./documents";

const PAGE_SIZE = 100;
const RESULT_COLORS: Record<AuditResult, string> = { OK: "green", ALLOWED: "blue", DENIED: "red", FAILED: "orange" };

export function ResultTag({ result }: { result: AuditResult }) {
  const { t } = useI18n();
  return <Tag color={RESULT_COLORS[result]}>{t(`audit.result.${result}`)}</Tag>;
}

function useAuditLog(platform: boolean, params: AuditParams, before: number | null) {
  const variables = { where: auditFilter(params, platform), first: PAGE_SIZE, before };
  const [tenantLog, refetchTenant] = useQuery({ query: AuditLogQuery, variables, pause: platform });
  const [platformLog, refetchPlatform] = useQuery({ query: PlatformAuditLogQuery, variables, pause: !platform });
  const page = platform ? platformLog.data?.platformAuditLog : tenantLog.data?.auditLog;
  const state = platform ? platformLog : tenantLog;
  return { page, fetching: state.fetching, error: state.error, refetch: platform ? refetchPlatform : refetchTenant };
}

function EntryDrawer({ entry, onClose }: { entry: AuditEntryFieldsFragment | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Drawer open={entry !== null} width={640} title={entry ? `${entry.operation} · #${entry.seq}` : ""} onClose={onClose} data-testid="audit-drawer">
      {entry && (
        <>
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t("audit.time")}>
              <DateTime value={entry.at} />
            </Descriptions.Item>
            <Descriptions.Item label={t("audit.actor")}>
              <code>{entry.actorId}</code> <Tag>{t(`audit.actorKind.${entry.actorKind}`)}</Tag> {entry.role && <Tag>{entry.role}</Tag>}
              {entry.actorTenant && <Typography.Text type="secondary"> {entry.actorTenant}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t("audit.tenant")}>{entry.tenant ?? t("audit.platform")}</Descriptions.Item>
            <Descriptions.Item label={t("audit.result")}>
              <ResultTag result={entry.result} />
            </Descriptions.Item>
            <Descriptions.Item label={t("audit.targets")}>{entry.targets.length ? entry.targets.map((target) => <Tag key={target}>{target}</Tag>) : "—"}</Descriptions.Item>
            <Descriptions.Item label="IP">{entry.ip ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("audit.userAgent")}>{entry.userAgent ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("audit.requestId")}>{entry.requestId ? <code>{entry.requestId}</code> : "—"}</Descriptions.Item>
            <Descriptions.Item label={t("audit.chain")}>
              #{entry.seq} <code style={{ wordBreak: "break-all" }}>{entry.hash}</code>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("audit.details")}
          </Typography.Title>
          <pre className="ng-mono" style={{ background: "rgba(0,0,0,0.04)", padding: 8, maxHeight: 360, overflow: "auto" }} data-testid="audit-details">
            {prettyJson(entry.details)}
          </pre>
        </>
      )}
    </Drawer>
  );
}

/** The audit log, newest first, filtered by actor, operation, result, time range (and tenant for the provider). */
export function AuditLogTab({ platform }: { platform: boolean }) {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseAuditParams(search), [search]);
  const pages = useCursorStack();
  const { reset } = pages;
  const key = auditSearch(params, "log").toString();
  useEffect(() => reset(), [key, reset]);
  const { page, fetching, error, refetch } = useAuditLog(platform, params, beforeOf(pages.after));
  const [open, setOpen] = useState<AuditEntryFieldsFragment | null>(null);
  const update = (changes: Partial<AuditParams>) => setSearch(auditSearch({ ...params, ...changes }, "log"));
  const next = page?.nextBefore === null || page?.nextBefore === undefined ? null : String(page.nextBefore);

  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <Input.Search allowClear defaultValue={params.actor} placeholder={t("audit.actorFilter")} style={{ width: 200 }} onSearch={(actor) => update({ actor })} data-testid="audit-actor" />
        <Input.Search allowClear defaultValue={params.operation} placeholder={t("audit.operationFilter")} style={{ width: 220 }} onSearch={(operation) => update({ operation })} data-testid="audit-operation" />
        <Select
          allowClear
          placeholder={t("audit.result")}
          style={{ width: 130 }}
          value={params.result ?? undefined}
          onChange={(result?: AuditResult) => update({ result: result ?? null })}
          options={RESULTS.map((value) => ({ value, label: t(`audit.result.${value}`) }))}
          data-testid="audit-result"
        />
        {platform && <Input.Search allowClear defaultValue={params.tenant} placeholder={t("audit.tenant")} style={{ width: 160 }} onSearch={(tenant) => update({ tenant })} />}
        <DatePicker.RangePicker
          showTime
          allowEmpty={[true, true]}
          value={[params.since ? dayjs(params.since) : null, params.until ? dayjs(params.until) : null]}
          onChange={(range) => update({ since: range?.[0]?.toISOString() ?? null, until: range?.[1]?.toISOString() ?? null })}
        />
        <Button onClick={() => refetch({ requestPolicy: "network-only" })}>{t("common.refresh")}</Button>
      </Space>
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <Table<AuditEntryFieldsFragment>
        rowKey="seq"
        size="small"
        loading={fetching}
        dataSource={page?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState /> }}
        onRow={(entry) => ({ onClick: () => setOpen(entry), style: { cursor: "pointer" } })}
        data-testid="audit-table"
        columns={[
          { title: t("audit.time"), width: 170, render: (_, entry) => <DateTime value={entry.at} /> },
          { title: t("audit.actor"), render: (_, entry) => <span className="ng-mono">{entry.actorId}</span> },
          { title: t("users.role"), dataIndex: "role", render: (role: string | null) => role ?? "—" },
          ...(platform ? [{ title: t("audit.tenant"), dataIndex: "tenant", render: (tenant: string | null) => tenant ?? "—" }] : []),
          { title: t("audit.operation"), dataIndex: "operation", render: (operation: string) => <code>{operation}</code> },
          { title: t("audit.result"), width: 90, render: (_, entry) => <ResultTag result={entry.result} /> },
          { title: t("audit.targets"), render: (_, entry) => <Typography.Text ellipsis style={{ maxWidth: 220 }}>{entry.targets.join(", ") || "—"}</Typography.Text> },
          { title: "IP", dataIndex: "ip", width: 130, render: (ip: string | null) => ip ?? "—" },
        ]}
      />
      <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={next} onPrevious={pages.previous} onNext={() => pages.next(next)} />
      <EntryDrawer entry={open} onClose={() => setOpen(null)} />
    </>
  );
}
