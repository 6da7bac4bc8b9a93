import { ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Input, Progress, Select, Space, Table, Typography } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { useEffect, useMemo } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import { RelativeTime } from "../../components/RelativeTime";
import { AlarmLevelTag, VehicleStateTags } from "../../components/VehicleStateTags";
import type { VehicleListQuery as ListResult, VehicleSortKey } from "../../gql/graphql";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { VehicleListQuery, VehicleModelsQuery } from "./documents";
import { listSearch, parseListParams, toFilter, toOrder, type ListParams, type StateFilter } from "./listParams";

type Row = ListResult["vehicles"]["items"][number];
const PAGE_SIZE = 50;
const SORTABLE: Record<string, VehicleSortKey> = { vin: "VIN", lastSeen: "LAST_FRAME_AT", soc: "SOC", alarm: "ALARM_LEVEL" };

export function VehiclesPage() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseListParams(search), [search]);
  const pages = useCursorStack();
  const key = listSearch(params).toString();
  const { reset } = pages;
  useEffect(() => reset(), [key, reset]);

  const [models] = useQuery({ query: VehicleModelsQuery });
  const [{ data, fetching, error }, refetch] = useQuery({
    query: VehicleListQuery,
    variables: { filter: toFilter(params), orderBy: toOrder(params), first: PAGE_SIZE, after: pages.after },
  });
  useEffect(() => {
    const timer = window.setInterval(() => refetch({ requestPolicy: "network-only" }), 10_000);
    return () => window.clearInterval(timer);
  }, [refetch]);

  const update = (changes: Partial<ListParams>) => setSearch(listSearch({ ...params, ...changes }));
  const sortOrder = (column: VehicleSortKey) => (params.sort === column ? (params.descending ? "descend" : "ascend") : null);

  return (
    <>
      <PageHeader title={t("nav.vehicles")} subtitle={t("vehicles.subtitle")} extra={<Button icon={<ReloadOutlined />} onClick={() => refetch({ requestPolicy: "network-only" })} />} />
      <Card size="small">
        <Space wrap style={{ marginBottom: 8 }}>
          <Input.Search
            allowClear
            placeholder={t("vehicles.vinSearch")}
            defaultValue={params.vin}
            key={params.vin}
            style={{ width: 240 }}
            onSearch={(value) => update({ vin: value.trim().toUpperCase() })}
            data-testid="vin-search"
          />
          <Select<number | null>
            allowClear
            placeholder={t("vehicles.model")}
            style={{ width: 180 }}
            value={params.modelId}
            loading={models.fetching}
            onChange={(value) => update({ modelId: value ?? null })}
            options={(models.data?.vehicleModels ?? []).map((model) => ({ value: model.id, label: model.name }))}
          />
          <Select<StateFilter | null>
            allowClear
            placeholder={t("vehicles.stateFilter")}
            style={{ width: 140 }}
            value={params.state}
            onChange={(value) => update({ state: value ?? null })}
            options={(["online", "offline", "charging"] as const).map((value) => ({ value, label: t(`vehicles.state.${value}`) }))}
            data-testid="state-filter"
          />
          <Select<number | null>
            allowClear
            placeholder={t("vehicles.minAlarm")}
            style={{ width: 160 }}
            value={params.minAlarmLevel}
            onChange={(value) => update({ minAlarmLevel: value ?? null })}
            options={([1, 2, 3] as const).map((value) => ({ value, label: t("vehicles.atLeast", { level: t(`alarm.level.${value}`) }) }))}
          />
        </Space>
        {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
        <Table<Row>
          rowKey="vin"
          size="small"
          loading={fetching && !data}
          dataSource={data?.vehicles.items ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          data-testid="vehicle-table"
          onChange={(_pagination, _filters, sorter) => {
            const chosen = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Row> | undefined;
            const column = chosen?.columnKey ? SORTABLE[String(chosen.columnKey)] : undefined;
            if (!column || !chosen?.order) update({ sort: "VIN", descending: false });
            else update({ sort: column, descending: chosen.order === "descend" });
          }}
          columns={[
            {
              key: "vin",
              title: "VIN",
              sorter: true,
              sortOrder: sortOrder("VIN"),
              render: (_, row) => (
                <Link to={`/vehicles/${row.vin}`} className="ng-mono">
                  {row.vin}
                </Link>
              ),
            },
            { key: "model", title: t("vehicles.model"), render: (_, row) => row.model?.name ?? <Typography.Text type="secondary">{t("vehicles.noModel")}</Typography.Text> },
            { key: "usage", title: t("vehicles.usage"), render: (_, row) => t(`vehicles.usage.${row.usageType}`) },
            { key: "state", title: t("vehicles.stateFilter"), render: (_, row) => <VehicleStateTags state={row.latestState} /> },
            {
              key: "soc",
              title: "SOC",
              sorter: true,
              sortOrder: sortOrder("SOC"),
              render: (_, row) => (row.latestState?.socPct != null ? <Progress percent={row.latestState.socPct} size="small" style={{ width: 110 }} /> : "—"),
            },
            { key: "speed", title: t("vehicles.speed"), render: (_, row) => (row.latestState?.speedKmh != null ? `${row.latestState.speedKmh.toFixed(1)} km/h` : "—") },
            { key: "alarm", title: t("vehicles.alarmLevel"), sorter: true, sortOrder: sortOrder("ALARM_LEVEL"), render: (_, row) => <AlarmLevelTag level={row.latestState?.alarmLevel} /> },
            { key: "lastSeen", title: t("vehicles.lastSeen"), sorter: true, sortOrder: sortOrder("LAST_FRAME_AT"), render: (_, row) => <RelativeTime value={row.latestState?.lastFrameAt} /> },
          ]}
        />
        <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.vehicles.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.vehicles.nextCursor)} />
      </Card>
    </>
  );
}
