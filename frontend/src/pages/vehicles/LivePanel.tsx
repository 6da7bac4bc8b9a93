import { Badge, Card, Col, Descriptions, Progress, Row, Statistic } from "antd";
import { useMemo } from "react";
import { useSubscription } from "urql";
import { EChart } from "../../charts/EChart";
import type { EChartsOption } from "../../charts/echarts";
import { DateTime } from "../../components/DateTime";
import { ErrorNotice } from "../../components/PageState";
import { RelativeTime } from "../../components/RelativeTime";
import { AlarmLevelTag } from "../../components/VehicleStateTags";
import type { VehicleLiveSubscription as LiveResult } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18nProvider";
import { VehicleLiveSubscription } from "./documents";
import { LatestRecordCard } from "./LatestRecordCard";

type Live = LiveResult["vehicleLive"];
const KEEP = 180;

export interface InitialState {
  online: boolean;
  lastFrameAt: string;
  socPct?: number | null;
  speedKmh?: number | null;
  alarmLevel?: number | null;
  chargingState?: number | null;
  longitudeDeg?: number | null;
  latitudeDeg?: number | null;
}

/** Keeps the newest `KEEP` updates (one per report, about every 10 s from a terminal). */
export function appendLive(previous: Live[] | undefined, next: Live, keep = KEEP): Live[] {
  const list = previous ?? [];
  const last = list[list.length - 1];
  if (last && last.collectedAt && next.collectedAt === last.collectedAt && next.online === last.online) return list;
  return [...list, next].slice(-keep);
}

export function LivePanel({ vin, initial }: { vin: string; initial: InitialState | null }) {
  const { t } = useI18n();
  const [{ data: updates, error }] = useSubscription<LiveResult, Live[]>({ query: VehicleLiveSubscription, variables: { vin } }, (previous, next) => appendLive(previous, next.vehicleLive));
  const latest = updates?.[updates.length - 1];
  const state = {
    online: latest?.online ?? initial?.online ?? false,
    lastFrameAt: latest?.lastFrameAt ?? initial?.lastFrameAt ?? null,
    socPct: latest?.socPct ?? initial?.socPct ?? null,
    speedKmh: latest?.speedKmh ?? initial?.speedKmh ?? null,
    alarmLevel: latest?.alarmLevel ?? initial?.alarmLevel ?? null,
    chargingState: latest?.chargingState ?? initial?.chargingState ?? null,
    longitudeDeg: latest?.longitudeDeg ?? initial?.longitudeDeg ?? null,
    latitudeDeg: latest?.latitudeDeg ?? initial?.latitudeDeg ?? null,
  };
  const option = useMemo<EChartsOption>(
    () => ({
      animation: false,
      grid: { left: 40, right: 40, top: 24, bottom: 20 },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis" },
      xAxis: { type: "time" },
      yAxis: [
        { type: "value", name: "km/h", nameTextStyle: { fontSize: 10 } },
        { type: "value", name: "%", min: 0, max: 100, nameTextStyle: { fontSize: 10 } },
      ],
      series: [
        { type: "line", name: t("charts.speed"), showSymbol: false, data: (updates ?? []).filter((u) => u.collectedAt).map((u) => [u.collectedAt, u.speedKmh]) },
        { type: "line", name: t("charts.soc"), yAxisIndex: 1, showSymbol: false, data: (updates ?? []).filter((u) => u.collectedAt).map((u) => [u.collectedAt, u.socPct]) },
      ],
    }),
    [updates, t],
  );

  return (
    <div data-testid="live-panel">
      {error && <ErrorNotice error={error} />}
      <Row gutter={[8, 8]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("live.link")} valueRender={() => <Badge status={state.online ? "processing" : "default"} text={state.online ? t("vehicles.state.online") : t("vehicles.state.offline")} />} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("charts.speed")} value={state.speedKmh ?? "—"} precision={state.speedKmh === null ? undefined : 1} suffix={state.speedKmh === null ? undefined : "km/h"} data-testid="live-speed" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <div className="ant-statistic-title">SOC</div>
            <Progress percent={state.socPct ?? 0} status={state.socPct === null ? "normal" : state.socPct < 15 ? "exception" : "normal"} format={() => (state.socPct === null ? "—" : `${state.socPct}%`)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("vehicles.alarmLevel")} valueRender={() => <AlarmLevelTag level={state.alarmLevel} />} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t("vehicles.lastSeen")}>
                <RelativeTime value={state.lastFrameAt} /> · <DateTime value={state.lastFrameAt} />
              </Descriptions.Item>
              <Descriptions.Item label={t("live.collectedAt")}>
                <DateTime value={latest?.collectedAt ?? null} />
              </Descriptions.Item>
              <Descriptions.Item label={t("live.position")}>
                {state.longitudeDeg !== null && state.latitudeDeg !== null ? `${state.longitudeDeg.toFixed(5)}, ${state.latitudeDeg.toFixed(5)} (WGS-84)` : "—"}
                {latest?.positionValid === false && ` · ${t("live.positionInvalid")}`}
              </Descriptions.Item>
              <Descriptions.Item label={t("live.charging")}>{state.chargingState === null ? "—" : t(`live.chargingState.${Math.min(4, Math.max(1, state.chargingState)) as 1 | 2 | 3 | 4}`)}</Descriptions.Item>
              <Descriptions.Item label={t("live.updates")}>{updates?.length ?? 0}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t("live.trend")}>
            <EChart option={option} height={200} />
          </Card>
        </Col>
        <Col xs={24}>
          <LatestRecordCard vin={vin} newestCollectedAt={latest?.collectedAt} />
        </Col>
      </Row>
    </div>
  );
}
