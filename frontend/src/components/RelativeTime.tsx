import { Tooltip } from "antd";
import dayjs from "dayjs";
import { useI18n } from "../i18n/I18nProvider";
import { formatDateTime } from "./DateTime";

/** Seconds, minutes, hours or days since `value`, in the catalog's words. */
export function ageParts(value: string, now: Date): { unit: "seconds" | "minutes" | "hours" | "days"; amount: number } {
  const seconds = Math.max(0, Math.round((now.getTime() - dayjs(value).valueOf()) / 1000));
  if (seconds < 60) return { unit: "seconds", amount: seconds };
  if (seconds < 3600) return { unit: "minutes", amount: Math.floor(seconds / 60) };
  if (seconds < 86400) return { unit: "hours", amount: Math.floor(seconds / 3600) };
  return { unit: "days", amount: Math.floor(seconds / 86400) };
}

export function RelativeTime({ value, now = new Date() }: { value: string | null | undefined; now?: Date }) {
  const { t } = useI18n();
  if (!value) return <span>—</span>;
  const { unit, amount } = ageParts(value, now);
  return (
    <Tooltip title={formatDateTime(value)}>
      <span>{t(`time.ago.${unit}`, { n: amount })}</span>
    </Tooltip>
  );
}
