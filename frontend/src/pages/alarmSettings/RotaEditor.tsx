import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, DatePicker, Divider, Form, Input, Modal, Select, Space, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import type { DutyRotaQuery as RotaResult } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useI18n } from "../../i18n/I18nProvider";
import { UpdateDutyRotaMutation } from "./documents";
import { coverageGaps, isTime, pastMidnight, rotaProblems, toRotaInput, type RotaForm, type RotaProblem } from "./rotaMath";
import { minuteOfWeek } from "./settingsMath";

type Rota = RotaResult["dutyRota"];
interface Values extends Omit<RotaForm, "overrides"> {
  overrides: { range?: [Dayjs | null, Dayjs | null] | null; people: string[] }[];
}
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
const TIME_RULE = { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: "HH:MM" };

function initialValues(rota: Rota): Values {
  return {
    people: rota.people.map((person) => ({ key: person.key, name: person.name, email: person.email ?? "", phone: person.phone ?? "" })),
    shifts: rota.shifts.map((shift) => ({ weekday: shift.weekday, start: shift.start, end: shift.end, people: [...shift.people] })),
    overrides: rota.overrides.map((override) => ({ range: [dayjs(override.start), dayjs(override.end)], people: [...override.people] })),
    escalation: [...rota.escalation],
    timeZone: rota.timeZone,
  };
}

function formOf(values: Values): RotaForm {
  return {
    ...values,
    people: values.people ?? [],
    shifts: values.shifts ?? [],
    escalation: values.escalation ?? [],
    overrides: (values.overrides ?? []).map((override) => ({ start: override.range?.[0]?.toISOString() ?? "", end: override.range?.[1]?.toISOString() ?? "", people: override.people ?? [] })),
  };
}

/** The duty rota as a form: people, weekly shifts (incl. past midnight), dated overrides and escalation contacts, with the uncovered hours shown as the shifts change. */
export function RotaEditor({ rota, open, onClose, onSaved }: { rota: Rota | undefined; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const update = useAction(UpdateDutyRotaMutation);
  const [problems, setProblems] = useState<RotaProblem[]>([]);
  const people = (Form.useWatch("people", form) ?? []) as Values["people"];
  const shifts = (Form.useWatch("shifts", form) ?? []) as Values["shifts"];
  const personOptions = people.filter((person) => person?.key).map((person) => ({ value: person.key, label: person.name ? `${person.name} (${person.key})` : person.key }));
  const gaps = coverageGaps(shifts.filter((shift) => shift && isTime(shift.start) && isTime(shift.end)).map((shift) => ({ ...shift, people: shift.people ?? [] })));
  const at = (minute: number) => {
    const { weekday, time } = minuteOfWeek(minute);
    return `${t(`weekday.${weekday as 0 | 1 | 2 | 3 | 4 | 5 | 6}`)} ${time}`;
  };
  const problemText = (problem: RotaProblem) =>
    problem.problem === "duplicateKey"
      ? t("rota.problem.duplicateKey", { key: problem.key })
      : problem.problem === "unknownPerson"
        ? t("rota.problem.unknownPerson", { key: problem.key })
        : problem.problem === "badTime"
          ? t("rota.problem.badTime", { n: problem.shift + 1 })
          : t("rota.problem.overrideOrder", { n: problem.override + 1 });

  useEffect(() => {
    if (!open || !rota) return;
    form.resetFields();
    form.setFieldsValue(initialValues(rota));
    setProblems([]);
  }, [open, rota, form]);

  const save = async () => {
    const rotaForm = formOf(await form.validateFields());
    const found = rotaProblems(rotaForm);
    setProblems(found);
    if (found.length > 0) return;
    if (await update.run({ rota: toRotaInput(rotaForm) })) {
      onClose();
      onSaved();
    }
  };

  return (
    <Modal open={open} width={880} title={t("rota.edit")} onCancel={onClose} confirmLoading={update.busy} onOk={() => void save()} okButtonProps={{ "data-testid": "rota-save" } as Record<string, string>} destroyOnHidden>
      <Form form={form} layout="vertical" size="small" data-testid="rota-form">
        <Divider titlePlacement="start">{t("rota.people")}</Divider>
        <Form.List name="people">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" style={{ display: "flex" }}>
                  <Form.Item name={[field.name, "key"]} rules={[{ required: true, whitespace: true, max: 64, message: t("rota.keyRequired") }]}>
                    <Input placeholder={t("rota.key")} style={{ width: 110 }} className="ng-mono" />
                  </Form.Item>
                  <Form.Item name={[field.name, "name"]} rules={[{ required: true, whitespace: true, max: 100, message: t("rota.nameRequired") }]}>
                    <Input placeholder={t("rota.name")} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, "email"]} rules={[{ type: "email" }]}>
                    <Input placeholder={t("rota.email")} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, "phone"]} rules={[{ max: 32 }]}>
                    <Input placeholder={t("rota.phone")} style={{ width: 150 }} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t("common.remove")} onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ key: "", name: "", email: "", phone: "" })} data-testid="rota-add-person">
                {t("rota.addPerson")}
              </Button>
            </>
          )}
        </Form.List>
        <Divider titlePlacement="start">{t("rota.shifts")}</Divider>
        <Form.List name="shifts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => {
                const current = shifts[field.name];
                return (
                  <Space key={field.key} align="start" style={{ display: "flex" }}>
                    <Form.Item name={[field.name, "weekday"]} rules={[{ required: true }]}>
                      <Select style={{ width: 90 }} options={WEEKDAYS.map((day) => ({ value: day, label: t(`weekday.${day}`) }))} />
                    </Form.Item>
                    <Form.Item name={[field.name, "start"]} rules={[{ required: true, ...TIME_RULE }]}>
                      <Input placeholder="08:00" style={{ width: 80 }} className="ng-mono" />
                    </Form.Item>
                    <Form.Item name={[field.name, "end"]} rules={[{ required: true, ...TIME_RULE }]}>
                      <Input placeholder="20:00" style={{ width: 80 }} className="ng-mono" />
                    </Form.Item>
                    <Form.Item name={[field.name, "people"]} rules={[{ required: true, type: "array", min: 1, message: t("rota.peopleRequired") }]}>
                      <Select mode="multiple" style={{ width: 320 }} options={personOptions} placeholder={t("rota.people")} data-testid="rota-shift-people" />
                    </Form.Item>
                    {current && pastMidnight(current.start, current.end) && <Tag color="purple">{t("rota.nextDay")}</Tag>}
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={t("common.remove")} onClick={() => remove(field.name)} />
                  </Space>
                );
              })}
              <Button icon={<PlusOutlined />} onClick={() => add({ weekday: 0, start: "08:00", end: "20:00", people: [] })} data-testid="rota-add-shift">
                {t("rota.addShift")}
              </Button>
            </>
          )}
        </Form.List>
        <Alert
          style={{ marginTop: 8 }}
          type={gaps.length ? "warning" : "success"}
          showIcon
          title={gaps.length ? t("rota.gaps") : t("rota.noGaps")}
          description={gaps.length ? gaps.map(([from, to]) => (to - from >= 10080 ? t("rota.wholeWeek") : `${at(from)} – ${at(to)}`)).join("；") : undefined}
          data-testid="rota-gap-preview"
        />
        <Divider titlePlacement="start">{t("rota.overrides")}</Divider>
        <Typography.Paragraph type="secondary">{t("rota.overridesHelp")}</Typography.Paragraph>
        <Form.List name="overrides">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" style={{ display: "flex" }}>
                  <Form.Item name={[field.name, "range"]} rules={[{ required: true }]}>
                    <DatePicker.RangePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" />
                  </Form.Item>
                  <Form.Item name={[field.name, "people"]} rules={[{ required: true, type: "array", min: 1, message: t("rota.peopleRequired") }]}>
                    <Select mode="multiple" style={{ width: 300 }} options={personOptions} placeholder={t("rota.people")} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t("common.remove")} onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ range: null, people: [] })}>
                {t("rota.addOverride")}
              </Button>
            </>
          )}
        </Form.List>
        <Divider titlePlacement="start">{t("rota.escalation")}</Divider>
        <Space align="start" wrap>
          <Form.Item name="escalation" label={t("rota.escalationHelp")}>
            <Select mode="multiple" style={{ width: 420 }} options={personOptions} />
          </Form.Item>
          <Form.Item name="timeZone" label={t("handling.timeZone")} rules={[{ required: true, whitespace: true }]}>
            <Input style={{ width: 180 }} />
          </Form.Item>
        </Space>
      </Form>
      {problems.length > 0 && <Alert type="error" showIcon title={t("rota.problems")} description={problems.map(problemText).join("；")} data-testid="rota-problems" />}
    </Modal>
  );
}
