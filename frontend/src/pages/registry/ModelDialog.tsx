import { Form, Input, InputNumber, Modal, Select, Space } from "antd";
import { useEffect } from "react";
import type { BatteryChemistry } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useI18n } from "../../i18n/I18nProvider";
import { CreateVehicleModelMutation, UpdateVehicleModelMutation } from "./documents";
import { blankToNull, changedFields } from "./registryMath";

export interface ModelRecord {
  id: number;
  name: string;
  maker: string;
  batteryChemistry: BatteryChemistry;
  cellCount: number;
  probeCount: number;
  ratedCapacityKwh: number;
  batterySupplier?: string | null;
  motorSupplier?: string | null;
}
type Values = Omit<ModelRecord, "id">;
const NEW_MODEL: Partial<Values> = { batteryChemistry: "NCM", cellCount: 96, probeCount: 32, ratedCapacityKwh: 60 };

function cleaned(values: Values): Values {
  return {
    ...values,
    name: values.name.trim(),
    maker: values.maker.trim(),
    batterySupplier: blankToNull(values.batterySupplier) as string | null,
    motorSupplier: blankToNull(values.motorSupplier) as string | null,
  };
}

/** Create a vehicle model (`editing` null) or change one (only the changed fields are sent). */
export function ModelDialog(props: { open: boolean; editing: ModelRecord | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { open, editing } = props;
  const [form] = Form.useForm<Values>();
  const create = useAction(CreateVehicleModelMutation);
  const update = useAction(UpdateVehicleModelMutation);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(editing ?? NEW_MODEL);
  }, [open, editing, form]);

  const save = async () => {
    const values = cleaned(await form.validateFields());
    let done: unknown;
    if (editing) {
      const { id, ...original } = editing;
      const changes = changedFields(original, values);
      done = Object.keys(changes).length === 0 || (await update.run({ id, changes }));
    } else {
      done = await create.run({ model: values });
    }
    if (done) {
      props.onClose();
      props.onSaved();
    }
  };

  return (
    <Modal open={open} title={editing ? t("registry.editModel", { name: editing.name }) : t("registry.newModel")} onCancel={props.onClose} confirmLoading={create.busy || update.busy} onOk={() => void save()} okButtonProps={{ "data-testid": "model-save" } as Record<string, string>}>
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t("registry.modelName")} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input data-testid="model-name" />
        </Form.Item>
        <Form.Item name="maker" label={t("registry.maker")} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="batteryChemistry" label={t("registry.chemistry")}>
          <Select options={(["NCM", "LFP", "OTHER"] as const).map((value) => ({ value, label: value }))} />
        </Form.Item>
        <Space>
          <Form.Item name="cellCount" label={t("registry.cellCount")} rules={[{ required: true }]}>
            <InputNumber min={1} max={65531} />
          </Form.Item>
          <Form.Item name="probeCount" label={t("registry.probeCount")} rules={[{ required: true }]}>
            <InputNumber min={0} max={65531} />
          </Form.Item>
          <Form.Item name="ratedCapacityKwh" label={t("registry.capacity")} rules={[{ required: true }]}>
            <InputNumber min={0} max={10000} step={0.1} />
          </Form.Item>
        </Space>
        <Form.Item name="batterySupplier" label={t("registry.batterySupplier")} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="motorSupplier" label={t("registry.motorSupplier")} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
