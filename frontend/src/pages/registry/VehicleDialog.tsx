import { DatePicker, Form, Input, Modal, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import type { UsageType } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useI18n } from "../../i18n/I18nProvider";
import { CreateVehicleMutation, UpdateVehicleMutation } from "./documents";
import { changedFields } from "./registryMath";

export interface VehicleRecord {
  vin: string;
  usageType: UsageType;
  modelId?: number | null;
  saleDate?: string | null;
  productionBatch?: string | null;
  batteryPackLot?: string | null;
}
interface Values {
  vin: string;
  usageType: UsageType;
  modelId?: number | null;
  saleDate?: Dayjs | null;
  productionBatch?: string | null;
  batteryPackLot?: string | null;
}

function fields(values: Omit<Values, "vin">) {
  return {
    usageType: values.usageType,
    modelId: values.modelId ?? null,
    saleDate: values.saleDate?.format("YYYY-MM-DD") ?? null,
    productionBatch: values.productionBatch ?? null,
    batteryPackLot: values.batteryPackLot ?? null,
  };
}

/** Register a vehicle (`editing` null) or change a registered one (only the changed fields are sent). */
export function VehicleDialog(props: { open: boolean; editing: VehicleRecord | null; models: readonly { id: number; name: string }[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { open, editing } = props;
  const [form] = Form.useForm<Values>();
  const create = useAction(CreateVehicleMutation);
  const update = useAction(UpdateVehicleMutation);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) form.setFieldsValue({ ...editing, saleDate: editing.saleDate ? dayjs(editing.saleDate) : null });
  }, [open, editing, form]);

  const save = async () => {
    const values = await form.validateFields();
    let done: unknown;
    if (editing) {
      const changes = changedFields(fields({ ...editing, saleDate: editing.saleDate ? dayjs(editing.saleDate) : null }), fields(values));
      done = Object.keys(changes).length === 0 || (await update.run({ vin: editing.vin, changes }));
    } else {
      done = await create.run({ vehicle: { ...fields(values), vin: values.vin.trim().toUpperCase() } });
    }
    if (done) {
      props.onClose();
      props.onSaved();
    }
  };

  return (
    <Modal open={open} title={editing ? t("registry.editVehicle", { vin: editing.vin }) : t("registry.newVehicle")} onCancel={props.onClose} confirmLoading={create.busy || update.busy} onOk={() => void save()} okButtonProps={{ "data-testid": "vehicle-save" } as Record<string, string>}>
      <Form form={form} layout="vertical" initialValues={{ usageType: "PRIVATE" }} data-testid="vehicle-form">
        <Form.Item name="vin" label="VIN" rules={[{ required: !editing, pattern: /^[A-Za-z0-9]{17}$/, message: t("registry.vinFormat") }]}>
          <Input maxLength={17} className="ng-mono" disabled={editing !== null} />
        </Form.Item>
        <Form.Item name="usageType" label={t("vehicles.usage")}>
          <Select options={(["PRIVATE", "OPERATING"] as const).map((value) => ({ value, label: t(`vehicles.usage.${value}`) }))} />
        </Form.Item>
        <Form.Item name="modelId" label={t("vehicles.model")}>
          <Select allowClear options={props.models.map((model) => ({ value: model.id, label: model.name }))} />
        </Form.Item>
        <Form.Item name="saleDate" label={t("vehicle.saleDate")}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="productionBatch" label={t("vehicle.batch")}>
          <Input maxLength={64} data-testid="vehicle-batch" />
        </Form.Item>
        <Form.Item name="batteryPackLot" label={t("vehicle.packLot")}>
          <Input maxLength={64} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
