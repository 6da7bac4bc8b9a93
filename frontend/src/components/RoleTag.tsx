import { Tag } from "antd";
import type { Role } from "../gql/graphql";
import { useI18n } from "../i18n/I18nProvider";

const COLORS: Record<Role, string> = {
  PLATFORM_ADMIN: "magenta",
  PLATFORM_OPERATOR: "purple",
  TENANT_ADMIN: "volcano",
  SAFETY_ENGINEER: "orange",
  OPERATOR: "blue",
  ANALYST: "cyan",
  VIEWER: "default",
  API_CLIENT: "geekblue",
};

export function RoleTag({ role }: { role: Role }) {
  const { t } = useI18n();
  return <Tag color={COLORS[role]}>{t(`role.${role}`)}</Tag>;
}
