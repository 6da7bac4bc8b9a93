import { Tag, Tooltip } from "antd";
import { useEffect, useState } from "react";
import { formatDateTime } from "../../components/DateTime";
import { useI18n } from "../../i18n/I18nProvider";
import { countdown, slaTimer } from "./sla";

/** A live countdown to an SLA due time (updated every second), or how the step ended. */
export function SlaTimerTag({ due, doneAt }: { due: string; doneAt: string | null | undefined }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (doneAt) return undefined;
    const timer = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(timer);
  }, [doneAt]);
  const timer = slaTimer(due, doneAt, now);
  const label =
    timer.remainingSeconds === null
      ? timer.breached
        ? t("cases.doneLate")
        : t("cases.doneInTime")
      : timer.breached
        ? t("cases.overdue", { time: countdown(timer.remainingSeconds) })
        : countdown(timer.remainingSeconds);
  const color = timer.breached ? "red" : timer.remainingSeconds === null ? "green" : timer.remainingSeconds < 300 ? "orange" : "blue";
  return (
    <Tooltip title={t("cases.due", { at: formatDateTime(due) })}>
      <Tag color={color} className="ng-mono">
        {label}
      </Tag>
    </Tooltip>
  );
}
