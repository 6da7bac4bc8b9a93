import { Card, Descriptions, Space, Tag } from "antd";
import { permissionLabel } from "../../auth/permissions";
import { useSession } from "../../auth/SessionProvider";
import { PageHeader } from "../../components/PageHeader";
import { RoleTag } from "../../components/RoleTag";
import { useI18n } from "../../i18n/I18nProvider";

export function ProfilePage() {
  const { t } = useI18n();
  const { me } = useSession();
  return (
    <>
      <PageHeader title={t("nav.profile")} />
      <Card>
        <Descriptions column={1} bordered size="small" data-testid="profile">
          <Descriptions.Item label={t("profile.displayName")}>{me.displayName || "—"}</Descriptions.Item>
          <Descriptions.Item label={t("profile.email")}>{me.email ?? t("profile.noEmail")}</Descriptions.Item>
          <Descriptions.Item label={t("profile.subject")}>
            <code>{me.subject}</code>
          </Descriptions.Item>
          <Descriptions.Item label={t("users.role")}>
            <RoleTag role={me.role} />
          </Descriptions.Item>
          <Descriptions.Item label={t("profile.tenant")}>{me.tenant ?? t("profile.provider")}</Descriptions.Item>
          <Descriptions.Item label={t("profile.permissions")}>
            <Space wrap size={[4, 4]}>
              {me.permissions.map((permission) => (
                <Tag key={permission}>{permissionLabel(permission)}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>
    </>
  );
}
