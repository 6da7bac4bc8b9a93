import { Button, Descriptions, Drawer, Form, Input, Modal, Select, Space, Tag, Timeline, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { useSession } from "../../auth/SessionProvider";
import { DateTime } from "../../components/DateTime";
import { ErrorNotice } from "../../components/PageState";
import type { AlarmCaseFieldsFragment, AlarmDisposition } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useI18n } from "../../i18n/I18nProvider";
import { AlarmLevel, useAlarmName } from "./AlarmTable";
import { AcknowledgeCaseMutation, AlarmCaseQuery, AssignCaseMutation, CommentCaseMutation, DisposeCaseMutation, ReopenCaseMutation } from "./caseDocuments";
import { EvidenceList } from "./EvidenceList";
import { caseActions } from "./sla";
import { SlaTimerTag } from "./SlaTimerTag";

type Action = "acknowledge" | "assign" | "comment" | "dispose" | "reopen";
const DISPOSITIONS: readonly AlarmDisposition[] = ["FALSE_ALARM", "SENSOR_FAULT", "CONFIRMED_FAULT", "ACCIDENT", "OTHER"];

export function CaseStateTag({ state }: { state: AlarmCaseFieldsFragment["state"] }) {
  const { t } = useI18n();
  const colors = { OPEN: "red", ACKNOWLEDGED: "orange", ASSIGNED: "blue", DISPOSED: "green" } as const;
  return <Tag color={colors[state]}>{t(`cases.state.${state}`)}</Tag>;
}

/** One case: its SLA timers, steps and the workflow's actions the caller may take. */
export function CaseDrawer({ caseId, onClose, onChanged }: { caseId: string | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const name = useAlarmName();
  const [{ data, fetching, error }, refetch] = useQuery({ query: AlarmCaseQuery, variables: { caseId: caseId ?? "" }, pause: caseId === null, requestPolicy: "network-only" });
  const [action, setAction] = useState<Action | null>(null);
  const [form] = Form.useForm<{ comment?: string; assignee?: string; disposition?: AlarmDisposition }>();
  const acknowledge = useAction(AcknowledgeCaseMutation);
  const assign = useAction(AssignCaseMutation);
  const comment = useAction(CommentCaseMutation);
  const dispose = useAction(DisposeCaseMutation);
  const reopen = useAction(ReopenCaseMutation);
  const detail = data?.alarmCase;
  const current = detail?.case;
  const allowed = current ? caseActions(current.state) : null;
  const mayAck = can(["ALARMS_ACK"]);
  const mayDispose = can(["ALARMS_DISPOSE"]);

  const submit = async () => {
    if (!caseId || !action) return;
    const values = await form.validateFields();
    const note = values.comment?.trim() || null;
    const done =
      action === "acknowledge"
        ? await acknowledge.run({ caseId, comment: note })
        : action === "assign"
          ? await assign.run({ caseId, assignee: values.assignee?.trim() ?? "", comment: note })
          : action === "comment"
            ? await comment.run({ caseId, comment: note ?? "" })
            : action === "dispose"
              ? await dispose.run({ caseId, disposition: values.disposition ?? "OTHER", comment: note })
              : await reopen.run({ caseId, comment: note ?? "" });
    if (done) {
      setAction(null);
      form.resetFields();
      refetch({ requestPolicy: "network-only" });
      onChanged();
    }
  };

  return (
    <Drawer open={caseId !== null} width={620} title={current ? `${name(current)} · ${current.vin}` : t("cases.case")} onClose={onClose} destroyOnHidden data-testid="case-drawer">
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      {fetching && !detail && <Typography.Text type="secondary">{t("common.loading")}</Typography.Text>}
      {current && allowed && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            {mayAck && allowed.acknowledge && (
              <Button type="primary" onClick={() => setAction("acknowledge")} data-testid="case-acknowledge">
                {t("cases.acknowledge")}
              </Button>
            )}
            {mayAck && allowed.assign && <Button onClick={() => setAction("assign")}>{t("cases.assign")}</Button>}
            {mayDispose && allowed.dispose && (
              <Button type="primary" onClick={() => setAction("dispose")} data-testid="case-dispose">
                {t("cases.dispose")}
              </Button>
            )}
            {mayDispose && allowed.reopen && <Button onClick={() => setAction("reopen")}>{t("cases.reopen")}</Button>}
            {mayAck && <Button onClick={() => setAction("comment")}>{t("cases.comment")}</Button>}
          </Space>
          <Descriptions column={1} bordered size="small" data-testid="case-details">
            <Descriptions.Item label={t("alarms.state")}>
              <CaseStateTag state={current.state} /> {current.alarmOpen ? <Tag color="red">{t("cases.alarmOpen")}</Tag> : <Tag>{t("cases.alarmClosed")}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t("alarms.level")}>
              <AlarmLevel level={current.level} />
            </Descriptions.Item>
            <Descriptions.Item label="VIN">
              <Link to={`/vehicles/${current.vin}?tab=live`} className="ng-mono">
                {current.vin}
              </Link>
            </Descriptions.Item>
            <Descriptions.Item label={t("cases.openedAt")}>
              <DateTime value={current.openedAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t("cases.confirmSla")}>
              <SlaTimerTag due={current.confirmDue} doneAt={current.acknowledgedAt} />
              {current.escalations > 0 && <Tag color="volcano">{t("cases.escalations", { n: current.escalations })}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t("cases.disposeSla")}>
              <SlaTimerTag due={current.disposeDue} doneAt={current.disposedAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t("cases.assignee")}>{current.assignee ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("cases.disposition")}>{current.disposition ? t(`cases.disposition.${current.disposition}`) : "—"}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("cases.steps")}
          </Typography.Title>
          <Timeline
            items={(detail?.steps ?? []).map((step) => ({
              color: step.kind === "ESCALATED" ? "red" : step.kind === "DISPOSED" ? "green" : "blue",
              children: (
                <div>
                  <Space size={6}>
                    <Typography.Text strong>{t(`cases.step.${step.kind}`)}</Typography.Text>
                    <DateTime value={step.at} />
                    <Typography.Text type="secondary" className="ng-mono">
                      {step.actor}
                    </Typography.Text>
                  </Space>
                  {step.assignee && <div>{t("cases.assignee")}: {step.assignee}</div>}
                  {step.disposition && <div>{t("cases.disposition")}: {t(`cases.disposition.${step.disposition}`)}</div>}
                  {step.comment && <Typography.Paragraph style={{ margin: 0 }}>{step.comment}</Typography.Paragraph>}
                </div>
              ),
            }))}
          />
          <EvidenceList caseId={current.id} items={detail?.evidence ?? []} mayUpload={mayAck} onUploaded={() => refetch({ requestPolicy: "network-only" })} />
        </>
      )}
      <Modal
        open={action !== null}
        title={action ? t(`cases.${action}`) : ""}
        onCancel={() => setAction(null)}
        onOk={() => void submit()}
        okButtonProps={{ "data-testid": "case-action-ok" } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {action === "assign" && (
            <Form.Item name="assignee" label={t("cases.assignee")} rules={[{ required: true, max: 200 }]}>
              <Input />
            </Form.Item>
          )}
          {action === "dispose" && (
            <Form.Item name="disposition" label={t("cases.disposition")} rules={[{ required: true }]}>
              <Select data-testid="case-disposition" options={DISPOSITIONS.map((value) => ({ value, label: t(`cases.disposition.${value}`) }))} />
            </Form.Item>
          )}
          <Form.Item
            name="comment"
            label={t("cases.commentText")}
            dependencies={["disposition"]}
            rules={[
              ({ getFieldValue }) => ({
                required: action === "comment" || action === "reopen" || getFieldValue("disposition") === "OTHER",
                max: 2000,
              }),
            ]}
          >
            <Input.TextArea rows={3} data-testid="case-comment" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
