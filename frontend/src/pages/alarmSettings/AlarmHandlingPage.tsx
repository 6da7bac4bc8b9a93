import { Alert, Button, Card, Checkbox, Col, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { DateTime } from "../../components/DateTime";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { NotificationChannelKind, NotificationChannelsQuery as ChannelsResult } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useI18n } from "../../i18n/I18nProvider";
import { DutyRotaQuery, HandlingSettingsQuery, NotificationChannelsQuery, PutChannelMutation, RemoveChannelMutation, UpdateHandlingMutation } from "./documents";
import { RotaEditor } from "./RotaEditor";
import { pastMidnight } from "./rotaMath";
import { minuteOfWeek, parseDates } from "./settingsMath";

const KINDS: readonly NotificationChannelKind[] = ["WEBHOOK", "EMAIL", "SMS"];
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
type Channel = ChannelsResult["notificationChannels"][number];

interface SlaValues {
  confirmMinutes: number;
  disposeWorkingDays: number;
  escalationRepeatMinutes: number;
  maxEscalations: number;
  weekdays: number[];
  holidays: string;
  extraWorkdays: string;
  timeZone: string;
  policies: { level: number; channels: NotificationChannelKind[]; openCase: boolean }[];
}

function HandlingCard() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: HandlingSettingsQuery });
  const update = useAction(UpdateHandlingMutation);
  const [form] = Form.useForm<SlaValues>();
  const settings = data?.alarmHandlingSettings;
  useEffect(() => {
    if (!settings) return;
    form.setFieldsValue({ ...settings, weekdays: [...settings.weekdays], holidays: settings.holidays.join("\n"), extraWorkdays: settings.extraWorkdays.join("\n"), policies: [...settings.policies].sort((a, b) => a.level - b.level).map((policy) => ({ ...policy, channels: [...policy.channels] })) });
  }, [settings, form]);

  const save = async () => {
    const values = await form.validateFields();
    const holidays = parseDates(values.holidays);
    const extra = parseDates(values.extraWorkdays);
    const invalid = [...holidays.invalid, ...extra.invalid];
    if (invalid.length) {
      form.setFields([{ name: "holidays", errors: [t("handling.badDates", { dates: invalid.join(", ") })] }]);
      return;
    }
    const { policies, ...rest } = values;
    if (await update.run({ settings: { ...rest, holidays: holidays.dates, extraWorkdays: extra.dates, policies } })) refetch({ requestPolicy: "network-only" });
  };

  return (
    <Card size="small" title={t("handling.title")} loading={fetching && !settings} extra={<Button type="primary" loading={update.busy} onClick={() => void save()}>{t("common.save")}</Button>}>
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <Form form={form} layout="vertical" size="small">
        <Row gutter={12}>
          <Col span={6}>
            <Form.Item name="confirmMinutes" label={t("handling.confirmMinutes")} rules={[{ required: true }]}>
              <InputNumber min={1} max={1440} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="disposeWorkingDays" label={t("handling.disposeDays")} rules={[{ required: true }]}>
              <InputNumber min={1} max={365} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="escalationRepeatMinutes" label={t("handling.escalationRepeat")} rules={[{ required: true }]}>
              <InputNumber min={1} max={1440} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="maxEscalations" label={t("handling.maxEscalations")} rules={[{ required: true }]}>
              <InputNumber min={0} max={100} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="weekdays" label={t("handling.weekdays")}>
          <Checkbox.Group options={WEEKDAYS.map((day) => ({ value: day, label: t(`weekday.${day}`) }))} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={9}>
            <Form.Item name="holidays" label={t("handling.holidays")} extra={t("handling.datesHelp")}>
              <Input.TextArea rows={3} className="ng-mono" />
            </Form.Item>
          </Col>
          <Col span={9}>
            <Form.Item name="extraWorkdays" label={t("handling.extraWorkdays")}>
              <Input.TextArea rows={3} className="ng-mono" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="timeZone" label={t("handling.timeZone")} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t("handling.policies")}</Typography.Text>
        <Form.List name="policies">
          {(fields) =>
            fields.map((field) => (
              <Space key={field.key} style={{ display: "flex", marginTop: 6 }}>
                <Tag style={{ width: 52, textAlign: "center" }}>{t(`alarms.level.${(form.getFieldValue(["policies", field.name, "level"]) ?? 1) as 1 | 2 | 3 | 4}`)}</Tag>
                <Form.Item name={[field.name, "level"]} hidden>
                  <InputNumber />
                </Form.Item>
                <Form.Item name={[field.name, "channels"]} noStyle>
                  <Checkbox.Group options={KINDS.map((kind) => ({ value: kind, label: t(`channel.${kind}`) }))} />
                </Form.Item>
                <Form.Item name={[field.name, "openCase"]} valuePropName="checked" noStyle>
                  <Switch size="small" checkedChildren={t("handling.openCase")} unCheckedChildren={t("handling.noCase")} />
                </Form.Item>
              </Space>
            ))
          }
        </Form.List>
      </Form>
    </Card>
  );
}

function RotaCard() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: DutyRotaQuery });
  const [editing, setEditing] = useState(false);
  const rota = data?.dutyRota;
  const names = new Map((rota?.people ?? []).map((person) => [person.key, person.name]));
  const gapText = (minute: number) => {
    const { weekday, time } = minuteOfWeek(minute);
    return `${t(`weekday.${weekday as 0 | 1 | 2 | 3 | 4 | 5 | 6}`)} ${time}`;
  };

  return (
    <Card size="small" title={t("rota.title")} loading={fetching && !rota} extra={rota && <Button onClick={() => setEditing(true)} data-testid="rota-edit">{t("rota.edit")}</Button>}>
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {rota && (
        <>
          <Space wrap style={{ marginBottom: 8 }} data-testid="rota-on-duty">
            <Typography.Text>{t("rota.onDutyNow")}:</Typography.Text>
            {rota.onDutyNow.length ? rota.onDutyNow.map((person) => <Tag key={person.key} color="green">{person.name}</Tag>) : <Tag color="red">{t("rota.nobody")}</Tag>}
            <Typography.Text type="secondary">{rota.timeZone}</Typography.Text>
          </Space>
          {rota.gaps.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t("rota.gaps")} description={rota.gaps.map((gap) => (gap.endMinute - gap.startMinute >= 10080 ? t("rota.wholeWeek") : `${gapText(gap.startMinute)} – ${gapText(gap.endMinute)}`)).join("；")} />}
          <Table
            size="small"
            rowKey={(shift) => `${shift.weekday}-${shift.start}-${shift.end}`}
            pagination={false}
            dataSource={rota.shifts}
            locale={{ emptyText: <EmptyState text={t("rota.noShifts")} /> }}
            columns={[
              { title: t("rota.weekday"), render: (_, shift) => t(`weekday.${shift.weekday as 0 | 1 | 2 | 3 | 4 | 5 | 6}`) },
              { title: t("rota.time"), render: (_, shift) => <span className="ng-mono">{`${shift.start}–${shift.end}`}{pastMidnight(shift.start, shift.end) ? ` (${t("rota.nextDay")})` : ""}</span> },
              { title: t("rota.people"), render: (_, shift) => shift.people.map((key) => <Tag key={key}>{names.get(key) ?? key}</Tag>) },
            ]}
          />
          {rota.overrides.length > 0 && (
            <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
              {t("rota.overrides")}:{" "}
              {rota.overrides.map((override) => (
                <Tag key={`${override.start}-${override.end}`} color="purple">
                  <DateTime value={override.start} /> – <DateTime value={override.end} />: {override.people.map((key) => names.get(key) ?? key).join("、")}
                </Tag>
              ))}
            </Typography.Paragraph>
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t("rota.escalation")}: {rota.escalation.map((key) => names.get(key) ?? key).join("、") || "—"}
          </Typography.Paragraph>
        </>
      )}
      <RotaEditor rota={rota} open={editing} onClose={() => setEditing(false)} onSaved={() => refetch({ requestPolicy: "network-only" })} />
    </Card>
  );
}

function ChannelsCard() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: NotificationChannelsQuery });
  const put = useAction(PutChannelMutation);
  const remove = useAction(RemoveChannelMutation);
  const [editing, setEditing] = useState<NotificationChannelKind | null>(null);
  const [form] = Form.useForm<{ enabled: boolean; target: string; secret?: string; smtpPort?: number; smtpSecurity?: string; smtpUsername?: string; sender?: string }>();
  const channels = data?.notificationChannels ?? [];
  const reload = () => refetch({ requestPolicy: "network-only" });
  const open = (kind: NotificationChannelKind) => {
    const current = channels.find((channel) => channel.kind === kind);
    form.resetFields();
    form.setFieldsValue({ enabled: current?.enabled ?? true, target: current?.target ?? "", smtpPort: current?.smtpPort ?? undefined, smtpSecurity: current?.smtpSecurity ?? undefined, smtpUsername: current?.smtpUsername ?? undefined, sender: current?.sender ?? undefined });
    setEditing(kind);
  };

  return (
    <Card size="small" title={t("channels.title")} extra={<Space>{KINDS.map((kind) => <Button key={kind} size="small" onClick={() => open(kind)}>{t(`channel.${kind}`)}</Button>)}</Space>}>
      {error && <ErrorNotice error={error} onRetry={reload} />}
      <Table<Channel>
        size="small"
        rowKey="kind"
        loading={fetching}
        pagination={false}
        dataSource={channels}
        locale={{ emptyText: <EmptyState text={t("channels.none")} /> }}
        columns={[
          { title: t("channels.kind"), render: (_, row) => t(`channel.${row.kind}`) },
          { title: t("rules.enabled"), render: (_, row) => (row.enabled ? <Tag color="green">{t("users.active")}</Tag> : <Tag>{t("users.disabled")}</Tag>) },
          { title: t("channels.target"), render: (_, row) => <span className="ng-mono">{row.target}</span> },
          { title: t("channels.secret"), render: (_, row) => (row.secretSet ? t("channels.secretSet") : "—") },
          { title: t("channels.updated"), render: (_, row) => <><DateTime value={row.updatedAt} /> <Typography.Text type="secondary">{row.updatedBy}</Typography.Text></> },
          {
            title: t("common.actions"),
            render: (_, row) => (
              <Space>
                <Button size="small" type="link" onClick={() => open(row.kind)}>{t("channels.edit")}</Button>
                <Popconfirm title={t("channels.removeConfirm")} onConfirm={async () => (await remove.run({ kind: row.kind })) !== null && reload()}>
                  <Button size="small" type="link" danger>{t("channels.remove")}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing ? t(`channel.${editing}`) : ""}
        onCancel={() => setEditing(null)}
        confirmLoading={put.busy}
        onOk={async () => {
          if (!editing) return;
          const values = await form.validateFields();
          const channel = { kind: editing, enabled: values.enabled, target: values.target.trim(), secret: values.secret ? values.secret : null, smtpPort: values.smtpPort ?? null, smtpSecurity: values.smtpSecurity ?? null, smtpUsername: values.smtpUsername ?? null, sender: values.sender ?? null };
          if (await put.run({ channel })) {
            setEditing(null);
            reload();
          }
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="enabled" label={t("rules.enabled")} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="target" label={editing === "EMAIL" ? t("channels.smtpHost") : t("channels.url")} rules={[{ required: true, max: 500 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="secret" label={t("channels.secret")} extra={t("channels.secretHelp")}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {editing === "EMAIL" && (
            <>
              <Form.Item name="smtpPort" label={t("channels.smtpPort")}>
                <InputNumber min={1} max={65535} />
              </Form.Item>
              <Form.Item name="smtpSecurity" label={t("channels.smtpSecurity")}>
                <Select allowClear options={["none", "starttls", "tls"].map((value) => ({ value, label: value }))} />
              </Form.Item>
              <Form.Item name="smtpUsername" label={t("channels.smtpUsername")}>
                <Input />
              </Form.Item>
              <Form.Item name="sender" label={t("channels.sender")}>
                <Input />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Card>
  );
}

/** Alarm handling of the tenant: SLA and calendar, per-level policies, duty rota, channels. */
export function AlarmHandlingPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t("nav.alarmHandling")} subtitle={t("handling.subtitle")} />
      <Space direction="vertical" size={8} style={{ width: "100%" }}>
        <HandlingCard />
        <Row gutter={8}>
          <Col xs={24} xl={12}>
            <RotaCard />
          </Col>
          <Col xs={24} xl={12}>
            <ChannelsCard />
          </Col>
        </Row>
      </Space>
    </>
  );
}
