import { KeyOutlined } from "@ant-design/icons";
import { Badge, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Table } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useQuery } from "urql";
import { DateTime } from "../../components/DateTime";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { SupportGrantsQuery as GrantsResult } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useI18n } from "../../i18n/I18nProvider";
import { GrantSupportMutation, RevokeSupportMutation, SupportGrantsQuery } from "./documents";

type GrantRow = GrantsResult["supportGrants"][number];

/** Active: neither revoked nor past its end (the API keeps both kinds in the list). */
export function grantActive(grant: Pick<GrantRow, "revokedAt" | "expiresAt">, now: Date = new Date()): boolean {
  return grant.revokedAt === null && dayjs(grant.expiresAt).isAfter(now);
}

export function SupportGrantsPage() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: SupportGrantsQuery });
  const grant = useAction(GrantSupportMutation);
  const revoke = useAction(RevokeSupportMutation);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ email: string; reason: string; hours: number }>();
  const reload = () => refetch({ requestPolicy: "network-only" });

  return (
    <>
      <PageHeader
        title={t("nav.support")}
        subtitle={t("support.subtitle")}
        extra={
          <Button type="primary" icon={<KeyOutlined />} onClick={() => setOpen(true)}>
            {t("support.grant")}
          </Button>
        }
      />
      <Card>
        {error && <ErrorNotice error={error} onRetry={reload} />}
        <Table<GrantRow>
          rowKey="id"
          size="small"
          loading={fetching}
          dataSource={data?.supportGrants ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            { title: t("support.grantee"), dataIndex: "granteeEmail" },
            { title: t("support.reason"), dataIndex: "reason" },
            { title: t("support.grantedBy"), dataIndex: "grantedByEmail" },
            { title: t("common.createdAt"), dataIndex: "createdAt", render: (value: string) => <DateTime value={value} /> },
            { title: t("support.expiresAt"), dataIndex: "expiresAt", render: (value: string) => <DateTime value={value} /> },
            {
              title: t("users.status"),
              render: (_, row) =>
                grantActive(row) ? <Badge status="processing" text={t("support.active")} /> : <Badge status="default" text={row.revokedAt ? t("support.revoked") : t("support.expired")} />,
            },
            {
              title: t("common.actions"),
              render: (_, row) =>
                grantActive(row) ? (
                  <Popconfirm title={t("support.revokeConfirm")} onConfirm={async () => (await revoke.run({ grantId: row.id })) !== null && reload()}>
                    <Button type="link" danger size="small">
                      {t("common.revoke")}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={open}
        title={t("support.grant")}
        onCancel={() => setOpen(false)}
        confirmLoading={grant.busy}
        onOk={async () => {
          const values = await form.validateFields();
          if (await grant.run(values)) {
            setOpen(false);
            form.resetFields();
            reload();
          }
        }}
      >
        <Form form={form} layout="vertical" initialValues={{ hours: 24 }}>
          <Form.Item name="email" label={t("support.grantee")} rules={[{ required: true, type: "email" }]}>
            <Input />
          </Form.Item>
          <Form.Item name="reason" label={t("support.reason")} rules={[{ required: true, max: 500 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="hours" label={t("support.hours")} extra={t("support.hoursHelp")} rules={[{ required: true }]}>
            <InputNumber min={1} max={168} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
