import { EditOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Card, Input, Space, Table, Tabs } from "antd";
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { useSession } from "../../auth/SessionProvider";
import { CursorPager } from "../../components/CursorPager";
import { DateTime } from "../../components/DateTime";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { RegistryModelsQuery as ModelsResult, RegistryQuery as RegistryResult } from "../../gql/graphql";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { RegistryModelsQuery, RegistryQuery } from "./documents";
import { ImportDialog } from "./ImportDialog";
import { ModelDialog, type ModelRecord } from "./ModelDialog";
import { VehicleDialog, type VehicleRecord } from "./VehicleDialog";

type Row = RegistryResult["vehicles"]["items"][number];
type ModelRow = ModelsResult["vehicleModels"][number];
type Dialog = { kind: "vehicle"; editing: VehicleRecord | null } | { kind: "model"; editing: ModelRecord | null } | { kind: "import" };

export function RegistryPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "models" ? "models" : "vehicles";
  const [vin, setVin] = useState("");
  const pages = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery({ query: RegistryQuery, variables: { filter: { vinPrefix: vin || null }, first: 50, after: pages.after } });
  const [models, refetchModels] = useQuery({ query: RegistryModelsQuery });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const reload = () => refetch({ requestPolicy: "network-only" });
  const reloadModels = () => refetchModels({ requestPolicy: "network-only" });
  const mayEditVehicles = can(["VEHICLES_WRITE"]);
  const mayEditModels = can(["VEHICLE_MODELS_WRITE"]);

  const vehicles = (
    <>
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
        data-testid="registry-vehicles"
        columns={[
          { title: "VIN", render: (_, row) => <Link to={`/vehicles/${row.vin}`} className="ng-mono">{row.vin}</Link> },
          { title: t("vehicles.model"), render: (_, row) => row.model?.name ?? "—" },
          { title: t("vehicles.usage"), render: (_, row) => t(`vehicles.usage.${row.usageType}`) },
          { title: t("vehicle.saleDate"), render: (_, row) => row.saleDate ?? "—" },
          { title: t("vehicle.batch"), render: (_, row) => row.productionBatch ?? "—" },
          { title: t("vehicle.packLot"), render: (_, row) => row.batteryPackLot ?? "—" },
          { title: t("vehicle.registered"), render: (_, row) => <DateTime value={row.createdAt} /> },
          ...(mayEditVehicles
            ? [{ title: "", width: 60, render: (_: unknown, row: Row) => <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("common.edit")} onClick={() => setDialog({ kind: "vehicle", editing: row })} data-testid={`edit-vehicle-${row.vin}`} /> }]
            : []),
        ]}
      />
      <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={data?.vehicles.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(data?.vehicles.nextCursor)} />
    </>
  );

  const modelTable = (
    <>
      {models.error && <ErrorNotice error={models.error} onRetry={reloadModels} />}
      <Table<ModelRow>
        rowKey="id"
        size="small"
        loading={models.fetching}
        dataSource={models.data?.vehicleModels ?? []}
        pagination={{ pageSize: 50, size: "small", hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyState /> }}
        data-testid="registry-models"
        columns={[
          { title: t("registry.modelName"), dataIndex: "name" },
          { title: t("registry.maker"), dataIndex: "maker" },
          { title: t("registry.chemistry"), dataIndex: "batteryChemistry" },
          { title: t("registry.cellCount"), dataIndex: "cellCount" },
          { title: t("registry.probeCount"), dataIndex: "probeCount" },
          { title: t("registry.capacity"), dataIndex: "ratedCapacityKwh" },
          { title: t("registry.batterySupplier"), render: (_, row) => row.batterySupplier ?? "—" },
          { title: t("registry.motorSupplier"), render: (_, row) => row.motorSupplier ?? "—" },
          { title: t("registry.changed"), render: (_, row) => <DateTime value={row.updatedAt} /> },
          ...(mayEditModels
            ? [{ title: "", width: 60, render: (_: unknown, row: ModelRow) => <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("common.edit")} onClick={() => setDialog({ kind: "model", editing: row })} data-testid={`edit-model-${row.id}`} /> }]
            : []),
        ]}
      />
    </>
  );

  return (
    <>
      <PageHeader
        title={t("nav.registry")}
        subtitle={t("registry.subtitle")}
        extra={
          <>
            {mayEditModels && <Button onClick={() => setDialog({ kind: "model", editing: null })}>{t("registry.newModel")}</Button>}
            {can(["VEHICLES_IMPORT"]) && (
              <Button icon={<UploadOutlined />} onClick={() => setDialog({ kind: "import" })}>
                {t("registry.import")}
              </Button>
            )}
            {mayEditVehicles && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: "vehicle", editing: null })}>
                {t("registry.newVehicle")}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === "models" ? { tab: key } : {}, { replace: true })}
          items={[
            { key: "vehicles", label: t("registry.vehiclesTab"), children: vehicles },
            { key: "models", label: t("registry.modelsTab"), children: modelTable },
          ]}
        />
      </Card>
      <ImportDialog open={dialog?.kind === "import"} onClose={() => setDialog(null)} onImported={reload} />
      <VehicleDialog open={dialog?.kind === "vehicle"} editing={dialog?.kind === "vehicle" ? dialog.editing : null} models={models.data?.vehicleModels ?? []} onClose={() => setDialog(null)} onSaved={reload} />
      <ModelDialog
        open={dialog?.kind === "model"}
        editing={dialog?.kind === "model" ? dialog.editing : null}
        onClose={() => setDialog(null)}
        onSaved={() => {
          reloadModels();
          reload();
        }}
      />
    </>
  );
}
