import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, Form, Input, Modal, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useQuery } from "urql";
import { API_CLIENT_SCOPES } from "../../auth/roles";
import { CursorPager } from "../../components/CursorPager";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { ApiClientsQuery as ApiClientsResult } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { ApiClientsQuery, CreateApiClientMutation, SetApiClientEnabledMutation } from "./documents";

type ClientRow = ApiClientsResult["apiClients"]["items"][number];

export function ApiClientsPage() {
  const { t } = useI18n();
  const pages = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ApiClientsQuery, variables: { first: 50, after: pages.after } });
  const create = useAction(CreateApiClientMutation);
  const setEnabled = useAction(SetApiClientEnabledMutation);
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const [form] = Form.useForm<{ name: string; scopes: string[] }>();
  const reload = () => refetch({ requestPolicy: "network-only" });
  const close = () => {
    setOpen(false);
    setSecret(null);
    form.resetFields();
  };

  return (
    <>
      <PageHeader
        title={t("nav.apiClients")}
        subtitle={t("apiClients.subtitle")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t("apiClients.create")}
          </Button>
        }
      />
      <Card>
        {error && <ErrorNotice error={error} onRetry={reload} />}
        <Table<ClientRow>
          rowKey="clientId"
          size="small"
          loading={fetching}
          dataSource={data?.apiClients.items ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            { title: t("apiClients.name"), dataIndex: "name" },
            { title: t("apiClients.clientId"), dataIndex: "clientId", render: (value: string) => <code>{value}</code> },
            { title: t("apiClients.scopes"), dataIndex: "scopes", render: (scopes: string[]) => scopes.map((scope) => <Tag key={scope}>{scope}</Tag>) },
            {
              title: t("apiClients.enabled"),
              dataIndex: "enabled",
              render: (enabled: boolean, row) => (
                <Switch
                  size="small"
                  checked={enabled}
                  onChange={async (next) => {
                    if (await setEnabled.run({ clientId: row.clientId, enabled: next })) reload();
                  }}
                />
              ),
            },
          ]}
        />
        <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.apiClients.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.apiClients.nextCursor)} />
      </Card>
      <Modal
        open={open}
        title={t("apiClients.create")}
        onCancel={close}
        okText={secret ? t("common.close") : t("common.create")}
        confirmLoading={create.busy}
        onOk={async () => {
          if (secret) return close();
          const values = await form.validateFields();
          const result = await create.run(values);
          if (result) {
            setSecret({ id: result.createApiClient.client.clientId, secret: result.createApiClient.clientSecret });
            reload();
          }
        }}
      >
        {secret ? (
          <>
            <p>
              {t("apiClients.clientId")}: <code>{secret.id}</code>
            </p>
            <OneTimeSecret label={t("apiClients.secret")} value={secret.secret} />
          </>
        ) : (
          <Form form={form} layout="vertical" initialValues={{ scopes: ["fleet:read"] }}>
            <Form.Item name="name" label={t("apiClients.name")} rules={[{ required: true, max: 100 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="scopes" label={t("apiClients.scopes")} rules={[{ required: true, type: "array", min: 1 }]}>
              <Checkbox.Group options={API_CLIENT_SCOPES.map((scope) => ({ value: scope, label: scope }))} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
