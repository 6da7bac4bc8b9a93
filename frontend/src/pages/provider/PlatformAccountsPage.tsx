import { PlusOutlined } from "@ant-design/icons";
import { Badge, Button, Card, Form, Input, InputNumber, Modal, Table } from "antd";
import { useState } from "react";
import { useQuery } from "urql";
import { useSession } from "../../auth/SessionProvider";
import { CursorPager } from "../../components/CursorPager";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { PlatformAccountsQuery as AccountsResult } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { CreatePlatformAccountMutation, PlatformAccountsQuery } from "./documents";

type AccountRow = AccountsResult["platformAccounts"]["items"][number];
interface AccountValues {
  username: string;
  password: string;
  tenant?: string;
  maxVins?: number;
  framesPerSecond?: number;
}

export function PlatformAccountsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const pages = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery({ query: PlatformAccountsQuery, variables: { first: 50, after: pages.after } });
  const create = useAction(CreatePlatformAccountMutation);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<AccountValues>();
  const reload = () => refetch({ requestPolicy: "network-only" });

  return (
    <>
      <PageHeader
        title={t("nav.platformAccounts")}
        subtitle={t("accounts.subtitle")}
        extra={
          can(["PLATFORM_ACCOUNTS_MANAGE"]) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
              {t("accounts.create")}
            </Button>
          )
        }
      />
      <Card>
        {error && <ErrorNotice error={error} onRetry={reload} />}
        <Table<AccountRow>
          rowKey="id"
          size="small"
          loading={fetching}
          dataSource={data?.platformAccounts.items ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            { title: t("accounts.username"), dataIndex: "username", render: (value: string) => <code>{value}</code> },
            { title: t("accounts.tenant"), dataIndex: "tenant", render: (value: string | null) => value ?? t("accounts.anyTenant") },
            { title: t("accounts.maxVins"), dataIndex: "maxVins", render: (value: number | null) => value ?? "∞" },
            { title: t("accounts.framesPerSecond"), dataIndex: "framesPerSecond", render: (value: number | null) => value ?? "∞" },
            { title: t("users.status"), dataIndex: "enabled", render: (enabled: boolean) => <Badge status={enabled ? "success" : "default"} text={enabled ? t("users.active") : t("users.disabled")} /> },
          ]}
        />
        <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.platformAccounts.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.platformAccounts.nextCursor)} />
      </Card>
      <Modal
        open={open}
        title={t("accounts.create")}
        onCancel={() => setOpen(false)}
        confirmLoading={create.busy}
        onOk={async () => {
          const values = await form.validateFields();
          if (await create.run({ ...values, tenant: values.tenant || null })) {
            setOpen(false);
            form.resetFields();
            reload();
          }
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="username" label={t("accounts.username")} extra={t("accounts.usernameHelp")} rules={[{ required: true, max: 12 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="password" label={t("login.password")} extra={t("accounts.passwordHelp")} rules={[{ required: true, max: 20 }]}>
            <Input.Password />
          </Form.Item>
          <Form.Item name="tenant" label={t("accounts.tenant")}>
            <Input placeholder={t("accounts.anyTenant")} />
          </Form.Item>
          <Form.Item name="maxVins" label={t("accounts.maxVins")}>
            <InputNumber min={1} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="framesPerSecond" label={t("accounts.framesPerSecond")}>
            <InputNumber min={0.1} step={0.5} style={{ width: "100%" }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
