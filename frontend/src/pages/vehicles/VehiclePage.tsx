import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Descriptions, Segmented, Space, Tabs, Typography } from "antd";
import dayjs from "dayjs";
import { useMemo, type ReactNode } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import type { Requirement } from "../../auth/permissions";
import { useSession } from "../../auth/SessionProvider";
import { DateTime } from "../../components/DateTime";
import { PageHeader } from "../../components/PageHeader";
import { ErrorNotice, FullPageLoading } from "../../components/PageState";
import { VehicleStateTags } from "../../components/VehicleStateTags";
import type { MessageKey } from "../../i18n/catalogs";
import { useI18n } from "../../i18n/I18nProvider";
import { VehicleAlarms } from "../alarms/VehicleAlarms";
import { BatteryHeatmaps } from "./BatteryHeatmaps";
import { VehicleQuery } from "./documents";
import { HistoryCharts } from "./HistoryCharts";
import { LivePanel } from "./LivePanel";
import { RawFramesTable } from "./RawFramesTable";
import { SessionsTable } from "./SessionsTable";
import { PRESETS, rangeFromSearch, searchWithRange, type Preset } from "./timeRange";
import { TrackReplay } from "./TrackReplay";

interface TabSpec {
  key: string;
  label: MessageKey;
  needs: Requirement;
  ranged: boolean;
  render: (vin: string, from: Date, to: Date) => ReactNode;
}

export function VehiclePage() {
  const { t } = useI18n();
  const { can } = useSession();
  const { vin = "" } = useParams();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: VehicleQuery, variables: { vin } });
  // A preset ends "now" as of this address; changing the range or tab recomputes it.
  const rangeKey = `${search.get("range")}|${search.get("from")}|${search.get("to")}`;
  const range = useMemo(() => rangeFromSearch(search, new Date()), [rangeKey]);
  const vehicle = data?.vehicle;

  const allTabs: TabSpec[] = [
    {
      key: "live",
      label: "vehicle.tab.live",
      needs: ["VEHICLE_STATE_READ"],
      ranged: false,
      render: () => <LivePanel vin={vin} initial={vehicle?.latestState ?? null} />,
    },
    { key: "charts", label: "vehicle.tab.charts", needs: ["VEHICLE_HISTORY_READ"], ranged: true, render: (v, from, to) => <HistoryCharts vin={v} from={from} to={to} /> },
    { key: "battery", label: "vehicle.tab.battery", needs: ["VEHICLE_HISTORY_READ"], ranged: true, render: (v, from, to) => <BatteryHeatmaps vin={v} from={from} to={to} /> },
    { key: "track", label: "vehicle.tab.track", needs: ["VEHICLE_HISTORY_READ"], ranged: true, render: (v, from, to) => <TrackReplay vin={v} from={from} to={to} /> },
    { key: "sessions", label: "vehicle.tab.sessions", needs: ["SESSIONS_READ"], ranged: true, render: (v, from, to) => <SessionsTable vin={v} from={from} to={to} /> },
    { key: "alarms", label: "vehicle.tab.alarms", needs: ["ALARMS_READ"], ranged: true, render: (v, from, to) => <VehicleAlarms vin={v} from={from} to={to} /> },
    { key: "frames", label: "vehicle.tab.frames", needs: ["RAW_FRAMES_READ"], ranged: true, render: (v, from, to) => <RawFramesTable vin={v} from={from} to={to} /> },
  ];
  const tabs = allTabs.filter((tab) => can(tab.needs));
  const active = tabs.find((tab) => tab.key === search.get("tab")) ?? tabs[0];

  if (fetching && !data) return <FullPageLoading />;
  if (error || !vehicle) {
    return (
      <>
        <PageHeader title={vin} />
        {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      </>
    );
  }

  const rangePicker = (
    <Space>
      <Segmented<Preset | "custom">
        size="small"
        value={range.preset ?? "custom"}
        onChange={(value) => value !== "custom" && setSearch(searchWithRange(search, { preset: value }))}
        options={[...(Object.keys(PRESETS) as Preset[]).map((value) => ({ value, label: t(`range.${value}`) })), { value: "custom" as const, label: t("range.custom") }]}
      />
      <DatePicker.RangePicker
        size="small"
        showTime
        value={[dayjs(range.from), dayjs(range.to)]}
        onChange={(values) => {
          const [start, end] = values ?? [];
          if (start && end) setSearch(searchWithRange(search, { from: start.toDate(), to: end.toDate() }));
        }}
      />
    </Space>
  );

  return (
    <>
      <PageHeader
        title={vehicle.vin}
        subtitle={
          <Space size={4}>
            {vehicle.model?.name ?? t("vehicles.noModel")}
            <VehicleStateTags state={vehicle.latestState} />
          </Space>
        }
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
            {t("common.back")}
          </Button>
        }
      />
      <Card size="small" style={{ marginBottom: 8 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3, xl: 6 }} data-testid="vehicle-registry">
          <Descriptions.Item label={t("vehicles.model")}>{vehicle.model ? `${vehicle.model.maker} ${vehicle.model.name}` : "—"}</Descriptions.Item>
          <Descriptions.Item label={t("vehicle.battery")}>
            {vehicle.model ? `${vehicle.model.batteryChemistry} · ${vehicle.model.cellCount} ${t("battery.cell")} · ${vehicle.model.ratedCapacityKwh} kWh` : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("vehicles.usage")}>{t(`vehicles.usage.${vehicle.usageType}`)}</Descriptions.Item>
          <Descriptions.Item label={t("vehicle.saleDate")}>{vehicle.saleDate ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("vehicle.batch")}>{vehicle.productionBatch ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("vehicle.packLot")}>{vehicle.batteryPackLot ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("vehicle.registered")}>
            <DateTime value={vehicle.createdAt} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small">
        {active ? (
          <Tabs
            activeKey={active.key}
            destroyOnHidden
            onChange={(key) => {
              const next = new URLSearchParams(search);
              next.set("tab", key);
              setSearch(next, { replace: true });
            }}
            tabBarExtraContent={active.ranged ? rangePicker : null}
            items={tabs.map((tab) => ({ key: tab.key, label: t(tab.label), children: tab.key === active.key ? tab.render(vehicle.vin, range.from, range.to) : null }))}
          />
        ) : (
          <Typography.Text type="secondary">{t("error.pageForbidden")}</Typography.Text>
        )}
      </Card>
    </>
  );
}
