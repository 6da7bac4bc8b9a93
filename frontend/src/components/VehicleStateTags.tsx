import { Tag } from "antd";
import { useI18n } from "../i18n/I18nProvider";

interface State {
  online: boolean;
  driving: boolean;
  charging: boolean;
}

export function VehicleStateTags({ state }: { state: State | null | undefined }) {
  const { t } = useI18n();
  if (!state) return <Tag>{t("vehicles.state.never")}</Tag>;
  if (!state.online) return <Tag color="default">{t("vehicles.state.offline")}</Tag>;
  return (
    <>
      <Tag color="green">{t("vehicles.state.online")}</Tag>
      {state.driving && <Tag color="blue">{t("vehicles.state.driving")}</Tag>}
      {state.charging && <Tag color="cyan">{t("vehicles.state.charging")}</Tag>}
    </>
  );
}

const LEVEL_COLORS = ["default", "gold", "orange", "red"];

/** GB/T 32960 §7.2.3.7: the highest alarm level, 0 (none) to 3 (most severe). */
export function AlarmLevelTag({ level }: { level: number | null | undefined }) {
  const { t } = useI18n();
  if (level === null || level === undefined) return <span>—</span>;
  const clamped = Math.max(0, Math.min(3, level)) as 0 | 1 | 2 | 3;
  return <Tag color={LEVEL_COLORS[clamped]}>{t(`alarm.level.${clamped}`)}</Tag>;
}
