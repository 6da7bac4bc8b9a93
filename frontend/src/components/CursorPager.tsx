import { LeftOutlined, RightOutlined } from "@ant-design/icons";
import { Button, Space, Typography } from "antd";
import { useI18n } from "../i18n/I18nProvider";

export function CursorPager(props: { page: number; canGoBack: boolean; nextCursor: string | null | undefined; onPrevious: () => void; onNext: () => void }) {
  const { t } = useI18n();
  return (
    <Space style={{ marginTop: 8, justifyContent: "flex-end", width: "100%" }}>
      <Typography.Text type="secondary">{t("common.page", { page: props.page })}</Typography.Text>
      <Button icon={<LeftOutlined />} disabled={!props.canGoBack} onClick={props.onPrevious}>
        {t("common.previous")}
      </Button>
      <Button icon={<RightOutlined />} disabled={!props.nextCursor} onClick={props.onNext}>
        {t("common.next")}
      </Button>
    </Space>
  );
}
