import { Badge, Card, Popconfirm, Select, Space, Switch, Table, Tag, Tooltip } from "antd";
import { useQuery } from "urql";
import { ASSIGNABLE_TENANT_ROLES } from "../../auth/roles";
import { useSession } from "../../auth/SessionProvider";
import { CursorPager } from "../../components/CursorPager";
import { DateTime } from "../../components/DateTime";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import { RoleTag } from "../../components/RoleTag";
import type { Role, UsersQuery as UsersResult } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { SetUserDisabledMutation, SetUserRoleMutation, UsersQuery } from "./documents";

type UserRow = UsersResult["users"]["items"][number];

export function UsersPage() {
  const { t } = useI18n();
  const { me, can } = useSession();
  const pages = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery({ query: UsersQuery, variables: { first: 50, after: pages.after } });
  const setRole = useAction(SetUserRoleMutation);
  const setDisabled = useAction(SetUserDisabledMutation);
  const reload = () => refetch({ requestPolicy: "network-only" });
  const mayChangeRoles = can(["ROLES_MANAGE"]);
  const mayManage = can(["USERS_MANAGE"]);
  const isSelf = (row: UserRow) => me.subject === `user:${row.id}`;

  return (
    <>
      <PageHeader title={t("nav.users")} subtitle={t("users.subtitle")} />
      <Card>
        {error && <ErrorNotice error={error} onRetry={reload} />}
        <Table<UserRow>
          rowKey="id"
          size="small"
          loading={fetching}
          dataSource={data?.users.items ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            { title: t("users.email"), dataIndex: "email" },
            { title: t("users.displayName"), dataIndex: "displayName" },
            {
              title: t("users.role"),
              dataIndex: "role",
              render: (role: Role, row) =>
                mayChangeRoles && !isSelf(row) && role !== "TENANT_ADMIN" ? (
                  <Select<Role>
                    value={role}
                    style={{ width: 140 }}
                    onChange={async (next) => {
                      if (await setRole.run({ userId: row.id, role: next })) reload();
                    }}
                    options={ASSIGNABLE_TENANT_ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
                  />
                ) : (
                  <RoleTag role={role} />
                ),
            },
            {
              title: t("users.secondFactor"),
              dataIndex: "totpEnrolled",
              render: (enrolled: boolean) => (enrolled ? <Tag color="green">{t("users.totpOn")}</Tag> : <Tag>{t("users.totpOff")}</Tag>),
            },
            {
              title: t("users.status"),
              render: (_, row) => (
                <Space>
                  {row.disabled ? <Badge status="default" text={t("users.disabled")} /> : <Badge status="success" text={t("users.active")} />}
                  {row.lockedUntil && (
                    <Tooltip title={<DateTime value={row.lockedUntil} />}>
                      <Tag color="red">{t("users.locked")}</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t("common.createdAt"), dataIndex: "createdAt", render: (value: string) => <DateTime value={value} /> },
            {
              title: t("common.actions"),
              render: (_, row) =>
                mayManage && !isSelf(row) ? (
                  <Popconfirm
                    title={row.disabled ? t("users.enableConfirm") : t("users.disableConfirm")}
                    onConfirm={async () => {
                      if (await setDisabled.run({ userId: row.id, disabled: !row.disabled })) reload();
                    }}
                  >
                    <Switch size="small" checked={!row.disabled} checkedChildren={t("users.active")} unCheckedChildren={t("users.disabled")} />
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
        <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.users.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.users.nextCursor)} />
      </Card>
    </>
  );
}
