import { Card, Descriptions, Empty, Skeleton, Space, Tag, Typography } from "antd";
import { useEffect, useRef, type ReactNode } from "react";
import { useQuery } from "urql";
import { DateTime } from "../../components/DateTime";
import { ErrorNotice } from "../../components/PageState";
import type { VehicleLatestRecordQuery as RecordResult } from "../../gql/graphql";
import type { MessageKey } from "../../i18n/catalogs";
import { useI18n } from "../../i18n/I18nProvider";
import { VehicleLatestRecordQuery } from "./documents";
import { gearPosition, recordIsStale, sentinelOf, spread } from "./recordFormat";

type LiveRecord = NonNullable<NonNullable<RecordResult["vehicle"]>["latestRecord"]>;
type Translate = (key: MessageKey) => string;

type CodedField = "vehicleState" | "runningMode" | "dcdcState";

const CODED: Record<CodedField, Partial<Record<number, MessageKey>>> = {
  vehicleState: { 1: "record.vehicleState.1", 2: "record.vehicleState.2", 3: "record.vehicleState.3" },
  runningMode: { 1: "record.runningMode.1", 2: "record.runningMode.2", 3: "record.runningMode.3" },
  dcdcState: { 1: "record.dcdc.1", 2: "record.dcdc.2" },
};

function fixed(value: number, digits: number): string {
  return value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A measured value with its unit, or the sentinel the vehicle sent instead, or a dash. */
function measured(record: LiveRecord, column: string, value: number | null | undefined, t: Translate, unit: string, digits = 0): ReactNode {
  if (value !== null && value !== undefined) return `${fixed(value, digits)} ${unit}`;
  const sentinel = sentinelOf(record.sentinels, column);
  return sentinel ? <Tag color={sentinel === "abnormal" ? "orange" : "default"}>{t(`record.${sentinel}`)}</Tag> : "—";
}

function coded(record: LiveRecord, field: CodedField, column: string, t: Translate): ReactNode {
  const code = record[field] ?? null;
  if (code === null) return measured(record, column, null, t, "");
  const key = CODED[field][code];
  return key ? t(key) : `0x${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

function gear(record: LiveRecord, t: Translate): ReactNode {
  if (!record.gear) return measured(record, "gear", null, t, "");
  const position = gearPosition(record.gear.position);
  return (
    <Space size={4}>
      {position === null ? <Tag>{t("record.gearInvalid")}</Tag> : <Typography.Text strong>{position}</Typography.Text>}
      {record.gear.drivingForce && <Tag color="blue">{t("record.drivingForce")}</Tag>}
      {record.gear.brakingForce && <Tag color="orange">{t("record.brakingForce")}</Tag>}
    </Space>
  );
}

function pedals(record: LiveRecord, t: Translate): ReactNode {
  if (record.edition >= 2025) return t("record.noPedals");
  const brake = record.brakePct === 101 ? t("record.brakeOnUnknown") : measured(record, "brake_pct", record.brakePct, t, "%");
  return (
    <Space size={4}>
      {measured(record, "accelerator_pct", record.acceleratorPct, t, "%")}
      <span>/</span>
      {brake}
    </Space>
  );
}

/** The newest live record in full, read again (at most every 5 s) when the live feed reports
 * a newer one, so the panel's numbers follow the vehicle. */
export function LatestRecordCard({ vin, newestCollectedAt }: { vin: string; newestCollectedAt: string | null | undefined }) {
  const { t } = useI18n();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: VehicleLatestRecordQuery, variables: { vin }, requestPolicy: "network-only" });
  const lastRead = useRef(Date.now());
  const record = data?.vehicle?.latestRecord ?? null;

  useEffect(() => {
    const now = Date.now();
    if (!fetching && recordIsStale(record?.collectedAt, newestCollectedAt, lastRead.current, now)) {
      lastRead.current = now;
      reexecute({ requestPolicy: "network-only" });
    }
  }, [newestCollectedAt, record?.collectedAt, fetching, reexecute]);

  const title = t("record.title");
  if (error && !record) return <Card size="small" title={title}><ErrorNotice error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} /></Card>;
  if (!data) return <Card size="small" title={title}><Skeleton active paragraph={{ rows: 4 }} /></Card>;
  if (!record) return <Card size="small" title={title}><Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("record.none")} /></Card>;

  const cellSpread = spread(record.maxCellVoltageMv, record.minCellVoltageMv);
  const temperatureSpread = spread(record.maxTemperatureC, record.minTemperatureC);
  const volts = (mv: number | null | undefined) => (mv === null || mv === undefined ? null : mv / 1000);
  return (
    <Card
      size="small"
      title={title}
      data-testid="latest-record"
      extra={
        <Space size={8}>
          <Typography.Text type="secondary">{t("record.collectedAt")}</Typography.Text>
          <DateTime value={record.collectedAt} />
          <Tag>GB/T 32960-{record.edition}</Tag>
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t("record.totalVoltage")}>{measured(record, "total_voltage_v", record.totalVoltageV, t, "V", 1)}</Descriptions.Item>
        <Descriptions.Item label={t("record.totalCurrent")}>
          {measured(record, "total_current_a", record.totalCurrentA, t, "A", 1)}
          {record.totalCurrentA !== null && record.totalCurrentA !== undefined && record.totalCurrentA < 0 && <Typography.Text type="secondary"> ({t("record.charging")})</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t("record.insulation")}>{measured(record, "insulation_kohm", record.insulationKohm, t, "kΩ")}</Descriptions.Item>
        <Descriptions.Item label={t("record.maxCell")}>{measured(record, "max_cell_voltage_mv", volts(record.maxCellVoltageMv), t, "V", 3)}</Descriptions.Item>
        <Descriptions.Item label={t("record.minCell")}>{measured(record, "min_cell_voltage_mv", volts(record.minCellVoltageMv), t, "V", 3)}</Descriptions.Item>
        <Descriptions.Item label={t("record.cellSpread")}>{cellSpread === null ? "—" : `${fixed(cellSpread, 0)} mV`}</Descriptions.Item>
        <Descriptions.Item label={t("record.maxTemperature")}>{measured(record, "max_temperature_c", record.maxTemperatureC, t, "°C")}</Descriptions.Item>
        <Descriptions.Item label={t("record.minTemperature")}>{measured(record, "min_temperature_c", record.minTemperatureC, t, "°C")}</Descriptions.Item>
        <Descriptions.Item label={t("record.temperatureSpread")}>{temperatureSpread === null ? "—" : `${temperatureSpread} °C`}</Descriptions.Item>
        <Descriptions.Item label={t("record.odometer")}>{measured(record, "odometer_km", record.odometerKm, t, "km", 1)}</Descriptions.Item>
        <Descriptions.Item label={t("record.gear")}>{gear(record, t)}</Descriptions.Item>
        <Descriptions.Item label={t("record.pedals")}>{pedals(record, t)}</Descriptions.Item>
        <Descriptions.Item label={t("record.vehicleState")}>{coded(record, "vehicleState", "vehicle_state", t)}</Descriptions.Item>
        <Descriptions.Item label={t("record.runningMode")}>{coded(record, "runningMode", "running_mode", t)}</Descriptions.Item>
        <Descriptions.Item label={t("record.dcdc")}>{coded(record, "dcdcState", "dcdc_state", t)}</Descriptions.Item>
        <Descriptions.Item label={t("record.cellsAndProbes")}>{`${record.cellCount ?? "—"} / ${record.probeCount ?? "—"}`}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
