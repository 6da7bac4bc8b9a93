import { PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { useSession } from "../../auth/SessionProvider";
import { CursorPager } from "../../components/CursorPager";
import { DateTime } from "../../components/DateTime";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { BatteryChemistry, RegistryQuery as RegistryResult, UsageType } from "../../gql/graphql";
import { useAction } from "../../hooks/useAction";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { VehicleModelsQuery } from "../vehicles/documents";
import { CreateVehicleModelMutation, CreateVehicleMutation, RegistryQuery } from "./documents";
import { ImportDialog } from "./ImportDialog";

type Row = RegistryResult["vehicles"]["items"][number];
interface VehicleValues {
  vin: string;
  usageType: UsageType;
  modelId?: number;
  saleDate?: Dayjs;
  productionBatch?: string;
  batteryPackLot?: string;
}
interface ModelValues {
  name: string;
  maker: string;
  batteryChemistry: BatteryChemistry;
  cellCount: number;
  probeCount: number;
  ratedCapacityKwh: number;
}

export function RegistryPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [vin, setVin] = useState("");
  const pages = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery({ query: RegistryQuery, variables: { filter: { vinPrefix: vin || null }, first: 50, after: pages.after } });
  const [models, refetchModels] = useQuery({ query: VehicleModelsQuery });
  const createVehicle = useAction(CreateVehicleMutation);
  const createModel = useAction(CreateVehicleModelMutation);
  const [dialog, setDialog] = useState<"vehicle" | "model" | "import" | null>(null);
  const [vehicleForm] = Form.useForm<VehicleValues>();
  const [modelForm] = Form.useForm<ModelValues>();
  const reload = () => refetch({ requestPolicy: "network-only" });

  return (
    <>
      <PageHeader
        title={t("nav.registry")}
        subtitle={t("registry.subtitle")}
        extra={
          <>
            {can(["VEHICLE_MODELS_WRITE"]) && <Button onClick={() => setDialog("model")}>{t("registry.newModel")}</Button>}
            {can(["VEHICLES_IMPORT"]) && (
              <Button icon={<UploadOutlined />} onClick={() => setDialog("import")}>
                {t("registry.import")}
              </Button>
            )}
            {can(["VEHICLES_WRITE"]) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog("vehicle")}>
                {t("registry.newVehicle")}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <Space style={{ marginBottom: 8 }}>
          <Input.Search
            allowClear
            placeholder={t("vehicles.vinSearch")}
            style={{ width: 240 }}
            onSearch={(value) => {
              pages.reset();
              setVin(value.trim().toUpperCase());
            }}
          />
        </Space>
        {error && <ErrorNotice error={error} onRetry={reload} />}
        <Table<Row>
          rowKey="vin"
          size="small"
          loading={fetching}
          dataSource={data?.vehicles.items ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyState /> }}
          columns={[
            { title: "VIN", render: (_, row) => <Link to={`/vehicles/${row.vin}`} className="ng-mono">{row.vin}</Link> },
            { title: t("vehicles.model"), render: (_, row) => row.model?.name ?? "—" },
            { title: t("vehicles.usage"), render: (_, row) => t(`vehicles.usage.${row.usageType}`) },
            { title: t("vehicle.saleDate"), render: (_, row) => row.saleDate ?? "—" },
            { title: t("vehicle.batch"), render: (_, row) => row.productionBatch ?? "—" },
            { title: t("vehicle.packLot"), render: (_, row) => row.batteryPackLot ?? "—" },
            { title: t("vehicle.registered"), render: (_, row) => <DateTime value={row.createdAt} /> },
          ]}
        />
        <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.vehicles.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.vehicles.nextCursor)} />
      </Card>
      <ImportDialog open={dialog === "import"} onClose={() => setDialog(null)} onImported={reload} />
      <Modal
        open={dialog === "vehicle"}
        title={t("registry.newVehicle")}
        onCancel={() => setDialog(null)}
        confirmLoading={createVehicle.busy}
        onOk={async () => {
          const values = await vehicleForm.validateFields();
          const vehicle = { ...values, vin: values.vin.trim().toUpperCase(), saleDate: values.saleDate?.format("YYYY-MM-DD") ?? null };
          if (await createVehicle.run({ vehicle })) {
            setDialog(null);
            vehicleForm.resetFields();
            reload();
          }
        }}
      >
        <Form form={vehicleForm} layout="vertical" initialValues={{ usageType: "PRIVATE" }}>
          <Form.Item name="vin" label="VIN" rules={[{ required: true, pattern: /^[A-Za-z0-9]{17}$/, message: t("registry.vinFormat") }]}>
            <Input maxLength={17} className="ng-mono" />
          </Form.Item>
          <Form.Item name="usageType" label={t("vehicles.usage")}>
            <Select options={(["PRIVATE", "OPERATING"] as const).map((value) => ({ value, label: t(`vehicles.usage.${value}`) }))} />
          </Form.Item>
          <Form.Item name="modelId" label={t("vehicles.model")}>
            <Select allowClear options={(models.data?.vehicleModels ?? []).map((model) => ({ value: model.id, label: model.name }))} />
          </Form.Item>
          <Form.Item name="saleDate" label={t("vehicle.saleDate")}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="productionBatch" label={t("vehicle.batch")}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="batteryPackLot" label={t("vehicle.packLot")}>
            <Input maxLength={64} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={dialog === "model"}
        title={t("registry.newModel")}
        onCancel={() => setDialog(null)}
        confirmLoading={createModel.busy}
        onOk={async () => {
          const values = await modelForm.validateFields();
          if (await createModel.run({ model: values })) {
            setDialog(null);
            modelForm.resetFields();
            refetchModels({ requestPolicy: "network-only" });
          }
        }}
      >
        <Form form={modelForm} layout="vertical" initialValues={{ batteryChemistry: "NCM", cellCount: 96, probeCount: 32, ratedCapacityKwh: 60 }}>
          <Form.Item name="name" label={t("registry.modelName")} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="maker" label={t("registry.maker")} rules={[{ required: true, max: 100 }]}>
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
        </Form>
      </Modal>
    </>
  );
}
