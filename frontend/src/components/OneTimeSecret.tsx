import { Alert, Typography } from "antd";
import { useI18n } from "../i18n/I18nProvider";

/** A token or secret the API shows once: copyable, with the warning that it will not return. */
export function OneTimeSecret({ label, value }: { label: string; value: string }) {
  const { t } = useI18n();
  return (
    <Alert
      type="warning"
      showIcon
      title={label}
      description={
        <>
          <Typography.Paragraph copyable={{ text: value }} code style={{ wordBreak: "break-all", marginBottom: 4 }} data-testid="one-time-secret">
            {value}
          </Typography.Paragraph>
          <Typography.Text type="secondary">{t("common.shownOnce")}</Typography.Text>
        </>
      }
    />
  );
}
