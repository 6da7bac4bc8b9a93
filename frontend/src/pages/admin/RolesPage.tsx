import { CheckOutlined } from "@ant-design/icons";
import { Card, Table } from "antd";
import { useQuery } from "urql";
import { permissionLabel } from "../../auth/permissions";
import { PageHeader } from "../../components/PageHeader";
import { ErrorNotice } from "../../components/PageState";
import { RoleTag } from "../../components/RoleTag";
import type { Permission } from "../../gql/graphql";
import { useI18n } from "../../i18n/I18nProvider";
import { RolesQuery } from "./documents";

export function RolesPage() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: RolesQuery });
  const roles = data?.roles ?? [];
  const permissions = [...new Set(roles.flatMap((role) => role.permissions))];
  return (
    <>
      <PageHeader title={t("nav.roles")} subtitle={t("roles.subtitle")} />
      <Card>
        {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
        <Table<{ permission: Permission }>
          rowKey="permission"
          size="small"
          loading={fetching}
          pagination={false}
          scroll={{ x: true }}
          dataSource={permissions.map((permission) => ({ permission }))}
          columns={[
            { title: t("roles.permission"), dataIndex: "permission", render: (value: Permission) => <code>{permissionLabel(value)}</code>, fixed: "left" },
            ...roles.map((role) => ({
              key: role.role,
              title: <RoleTag role={role.role} />,
              align: "center" as const,
              render: (_: unknown, row: { permission: Permission }) => (role.permissions.includes(row.permission) ? <CheckOutlined style={{ color: "#52c41a" }} /> : null),
            })),
          ]}
        />
      </Card>
    </>
  );
}
