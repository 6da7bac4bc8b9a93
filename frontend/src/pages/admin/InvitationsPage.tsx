import { MailOutlined } from "@ant-design/icons";
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Table } from "antd";
import { useState } from "react";
import { useQuery } from "urql";
import { INVITABLE_TENANT_ROLES } from "../../auth/roles";
import { CursorPager } from "../../components/CursorPager";
import { DateTime } from "../../components/DateTime";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import { RoleTag } from "../../components/RoleTag";
import type { InvitationsQuery as InvitationsResult, Role } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { InvitationsQuery, InviteUserMutation, RevokeInvitationMutation } from "./documents";

type InvitationRow = InvitationsResult["invitations"]["items"][number];

export function InvitationsPage() {
  const { t } = useI18n();
  const pages = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery({ query: InvitationsQuery, variables: { first: 50, after: pages.after } });
  const invite = useAction(InviteUserMutation);
  const revoke = useAction(RevokeInvitationMutation);
  const [open, setOpen] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  const [form] = Form.useForm<{ email: string; role: Role }>();
  const reload = () => refetch({ requestPolicy: "network-only" });

  const close = () => {
    setOpen(false);
    setToken(null);
    form.resetFields();
  };

  return (
    <>
      <PageHeader
        title={t("nav.invitations")}
        subtitle={t("invitations.subtitle")}
        extra={
          <Button type="primary" icon={<MailOutlined />} onClick={() => setOpen(true)}>
            {t("invitations.invite")}
          </Button>
        }
      />
      <Card>
        {error && <ErrorNotice error={error} onRetry={reload} />}
        <Table<InvitationRow>
          rowKey="id"
          size="small"
          loading={fetching}
          dataSource={data?.invitations.items ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            { title: t("users.email"), dataIndex: "email" },
            { title: t("users.role"), dataIndex: "role", render: (role: Role) => <RoleTag role={role} /> },
            { title: t("invitations.expiresAt"), dataIndex: "expiresAt", render: (value: string) => <DateTime value={value} /> },
            {
              title: t("common.actions"),
              render: (_, row) => (
                <Popconfirm
                  title={t("invitations.revokeConfirm")}
                  onConfirm={async () => {
                    if (await revoke.run({ invitationId: row.id })) reload();
                  }}
                >
                  <Button type="link" danger size="small">
                    {t("common.revoke")}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
        <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.invitations.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.invitations.nextCursor)} />
      </Card>
      <Modal
        open={open}
        title={t("invitations.invite")}
        onCancel={close}
        okText={token ? t("common.close") : t("invitations.send")}
        confirmLoading={invite.busy}
        onOk={async () => {
          if (token) return close();
          const values = await form.validateFields();
          const result = await invite.run(values);
          if (result) {
            setToken(result.inviteUser.token);
            reload();
          }
        }}
      >
        {token ? (
          <OneTimeSecret label={t("invitations.token")} value={token} />
        ) : (
          <Form form={form} layout="vertical" initialValues={{ role: "VIEWER" }}>
            <Form.Item name="email" label={t("users.email")} rules={[{ required: true, type: "email" }]}>
              <Input />
            </Form.Item>
            <Form.Item name="role" label={t("users.role")} rules={[{ required: true }]}>
              <Select options={INVITABLE_TENANT_ROLES.map((value) => ({ value, label: t(`role.${value}`) }))} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
