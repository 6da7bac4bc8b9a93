import dayjs from "dayjs";

export function formatDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).format("YYYY-MM-DD HH:mm:ss") : "—";
}

export function DateTime({ value }: { value: string | null | undefined }) {
  return <span className="ng-mono">{formatDateTime(value)}</span>;
}
