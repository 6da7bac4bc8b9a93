import { PlusOutlined } from "@ant-design/icons";
import { Badge, Button, Card, Dropdown, Form, Input, InputNumber, Modal, Progress, Table } from "antd";
import { useState } from "react";
import { useQuery } from "urql";
import { useSession } from "../../auth/SessionProvider";
import { CursorPager } from "../../components/CursorPager";
import { DateTime } from "../../components/DateTime";
import { OneTimeSecret } from "../../components/OneTimeSecret";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { TenantsQuery as TenantsResult } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { CreateTenantMutation, InviteTenantAdminMutation, ResumeTenantMutation, SetTenantQuotasMutation, SuspendTenantMutation, TenantsQuery } from "./documents";
import { quotaPercent, quotaStatus } from "./quotas";

type TenantRow = TenantsResult["tenants"]["items"][number];
interface QuotaValues {
  vehicles?: number | null;
  storageGb?: number | null;
  apiRequestsPerMinute?: number | null;
}
type Dialog = { kind: "create" } | { kind: "quotas"; tenant: TenantRow } | { kind: "invite"; tenant: TenantRow } | null;

export function TenantsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const pages = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery({ query: TenantsQuery, variables: { first: 50, after: pages.after } });
  const create = useAction(CreateTenantMutation);
  const suspend = useAction(SuspendTenantMutation);
  const resume = useAction(ResumeTenantMutation);
  const setQuotas = useAction(SetTenantQuotasMutation);
  const invite = useAction(InviteTenantAdminMutation);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [token, setToken] = useState<string | null>(null);
  const [form] = Form.useForm();
  const reload = () => refetch({ requestPolicy: "network-only" });
  const close = () => {
    setDialog(null);
    setToken(null);
    form.resetFields();
  };

  const submit = async () => {
    if (!dialog) return;
    if (token) return close();
    const values = await form.validateFields();
    if (dialog.kind === "create") {
      const { slug, name, ...quotas } = values as { slug: string; name: string } & QuotaValues;
      if (await create.run({ slug, name, quotas })) close();
    } else if (dialog.kind === "quotas") {
      if (await setQuotas.run({ slug: dialog.tenant.slug, quotas: values as QuotaValues })) close();
    } else {
      const result = await invite.run({ tenant: dialog.tenant.slug, email: (values as { email: string }).email });
      if (result) setToken(result.inviteTenantAdmin.token);
    }
    reload();
  };

  const quotaFields = (
    <>
      <Form.Item name="vehicles" label={t("tenants.quotaVehicles")}>
        <InputNumber min={0} style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item name="storageGb" label={t("tenants.quotaStorage")}>
        <InputNumber min={0} style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item name="apiRequestsPerMinute" label={t("tenants.quotaRpm")}>
        <InputNumber min={1} style={{ width: "100%" }} />
      </Form.Item>
    </>
  );

  return (
    <>
      <PageHeader
        title={t("nav.tenants")}
        subtitle={t("tenants.subtitle")}
        extra={
          can(["TENANTS_MANAGE"]) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: "create" })}>
              {t("tenants.create")}
            </Button>
          )
        }
      />
      <Card>
        {error && <ErrorNotice error={error} onRetry={reload} />}
        <Table<TenantRow>
          rowKey="slug"
          size="small"
          loading={fetching}
          dataSource={data?.tenants.items ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            { title: t("tenants.slug"), dataIndex: "slug", render: (value: string) => <code>{value}</code> },
            { title: t("tenants.name"), dataIndex: "name" },
            {
              title: t("users.status"),
              dataIndex: "status",
              render: (status: string) => (status === "active" ? <Badge status="success" text={t("tenants.active")} /> : <Badge status="error" text={t("tenants.suspended")} />),
            },
            {
              title: t("tenants.vehicles"),
              render: (_, row) => {
                const percent = quotaPercent(row.vehicleCount, row.quotas.vehicles);
                return (
                  <div style={{ minWidth: 160 }}>
                    {row.vehicleCount.toLocaleString()} / {row.quotas.vehicles?.toLocaleString() ?? "∞"}
                    {percent !== null && <Progress percent={percent} size="small" status={quotaStatus(percent)} showInfo={false} />}
                  </div>
                );
              },
            },
            { title: t("tenants.quotaStorage"), render: (_, row) => row.quotas.storageGb ?? "∞" },
            { title: t("tenants.quotaRpm"), render: (_, row) => row.quotas.apiRequestsPerMinute ?? t("tenants.defaultRate") },
            { title: t("common.createdAt"), dataIndex: "createdAt", render: (value: string) => <DateTime value={value} /> },
            {
              title: t("common.actions"),
              render: (_, row) => (
                <Dropdown
                  menu={{
                    items: [
                      can(["TENANTS_QUOTAS"]) && { key: "quotas", label: t("tenants.editQuotas"), onClick: () => { form.setFieldsValue(row.quotas); setDialog({ kind: "quotas", tenant: row }); } },
                      can(["TENANT_ADMINS_MANAGE"]) && { key: "invite", label: t("tenants.inviteAdmin"), onClick: () => setDialog({ kind: "invite", tenant: row }) },
                      can(["TENANTS_SUSPEND"]) &&
                        (row.status === "active"
                          ? { key: "suspend", danger: true, label: t("tenants.suspend"), onClick: async () => (await suspend.run({ slug: row.slug })) && reload() }
                          : { key: "resume", label: t("tenants.resume"), onClick: async () => (await resume.run({ slug: row.slug })) && reload() }),
                    ].filter((item) => item !== false),
                  }}
                >
                  <Button size="small">{t("common.actions")}</Button>
                </Dropdown>
              ),
            },
          ]}
        />
        <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.tenants.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.tenants.nextCursor)} />
      </Card>
      <Modal
        open={dialog !== null}
        destroyOnHidden
        title={dialog?.kind === "create" ? t("tenants.create") : dialog?.kind === "quotas" ? `${t("tenants.editQuotas")} · ${dialog.tenant.slug}` : dialog ? `${t("tenants.inviteAdmin")} · ${dialog.tenant.slug}` : ""}
        onCancel={close}
        okText={token ? t("common.close") : t("common.save")}
        onOk={() => void submit()}
      >
        {token ? (
          <OneTimeSecret label={t("invitations.token")} value={token} />
        ) : (
          <Form form={form} layout="vertical" preserve={false}>
            {dialog?.kind === "create" && (
              <>
                <Form.Item name="slug" label={t("tenants.slug")} extra={t("tenants.slugHelp")} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/ }]}>
                  <Input />
                </Form.Item>
                <Form.Item name="name" label={t("tenants.name")} rules={[{ required: true, max: 200 }]}>
                  <Input />
                </Form.Item>
                {quotaFields}
              </>
            )}
            {dialog?.kind === "quotas" && quotaFields}
            {dialog?.kind === "invite" && (
              <Form.Item name="email" label={t("users.email")} rules={[{ required: true, type: "email" }]}>
                <Input />
              </Form.Item>
            )}
          </Form>
        )}
      </Modal>
    </>
  );
}
