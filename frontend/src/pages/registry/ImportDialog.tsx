import { DownloadOutlined, InboxOutlined } from "@ant-design/icons";
import { Alert, App, Button, Descriptions, Modal, Space, Table, Upload } from "antd";
import { useState } from "react";
import { uploadFile } from "../../api/upload";
import { useCodeText } from "../../components/PageState";
import { useI18n } from "../../i18n/I18nProvider";
import { decodeCsv, errorReportCsv, importPath, type ImportReport } from "./csvFile";

// The upload route's cap, import_max_bytes (docs/api.md, "Limits"); the API checks it again.
const MAX_FILE_BYTES = 10 * 1024 * 1024;

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** Check a CSV file (dry run, with the per-row report), then import it. */
export function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const codeText = useCodeText();
  const [busy, setBusy] = useState(false);
  const [csv, setCsv] = useState<{ name: string; bytes: ArrayBuffer } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const reset = () => {
    setCsv(null);
    setProblem(null);
    setReport(null);
  };
  const run = async (dryRun: boolean) => {
    if (!csv) return;
    setBusy(true);
    const result = await uploadFile<ImportReport>(importPath(dryRun), csv.bytes, "text/csv");
    setBusy(false);
    if (!result.ok) {
      void message.error(codeText(result.code, result.message));
      return;
    }
    void message.success(dryRun ? t("registry.checked") : t("registry.imported"));
    setReport(result.value);
    if (!dryRun) onImported();
  };

  return (
    <Modal
      open={open}
      width={760}
      title={t("registry.import")}
      onCancel={() => {
        reset();
        onClose();
      }}
      footer={
        <Space>
          <Button disabled={!csv} loading={busy} onClick={() => void run(true)} data-testid="import-check">
            {t("registry.dryRun")}
          </Button>
          <Button type="primary" disabled={!csv || !report?.dryRun} loading={busy} onClick={() => void run(false)}>
            {t("registry.importValid")}
          </Button>
        </Space>
      }
    >
      <Upload.Dragger
        accept=".csv,text/csv"
        maxCount={1}
        showUploadList={false}
        beforeUpload={async (file) => {
          reset();
          const bytes = await file.arrayBuffer();
          const read = decodeCsv(new Uint8Array(bytes), MAX_FILE_BYTES);
          if (read.ok) setCsv({ name: file.name, bytes });
          else setProblem(read.reason === "encoding" ? t("registry.notUtf8") : t("registry.tooLarge", { mb: MAX_FILE_BYTES / 1024 / 1024 }));
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{csv ? csv.name : t("registry.dropFile")}</p>
        <p className="ant-upload-hint">{t("registry.format")}</p>
      </Upload.Dragger>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} />}
      {report && (
        <div style={{ marginTop: 12 }} data-testid="import-report">
          <Descriptions size="small" column={4} bordered>
            <Descriptions.Item label={t("registry.rows")}>{report.total}</Descriptions.Item>
            <Descriptions.Item label={t("registry.created")}>{report.created.length}</Descriptions.Item>
            <Descriptions.Item label={t("registry.updated")}>{report.updated.length}</Descriptions.Item>
            <Descriptions.Item label={t("registry.errors")}>{report.errors.length}</Descriptions.Item>
          </Descriptions>
          <Alert type={report.dryRun ? "info" : "success"} showIcon style={{ margin: "8px 0" }} title={report.dryRun ? t("registry.dryRunNote") : t("registry.doneNote")} />
          {report.errors.length > 0 && (
            <>
              <Button size="small" icon={<DownloadOutlined />} onClick={() => download("import-errors.csv", errorReportCsv(report.errors))} style={{ marginBottom: 8 }}>
                {t("registry.downloadErrors")}
              </Button>
              <Table
                size="small"
                rowKey={(error) => `${error.row}-${error.field ?? ""}-${error.code}`}
                dataSource={report.errors}
                pagination={{ pageSize: 10, size: "small", hideOnSinglePage: true }}
                columns={[
                  { title: t("registry.row"), dataIndex: "row", width: 70 },
                  { title: t("registry.field"), dataIndex: "field", render: (value: string | null) => value ?? "—", width: 140 },
                  { title: t("registry.code"), dataIndex: "code", render: (value: string) => <code>{value}</code>, width: 140 },
                  { title: t("registry.detail"), dataIndex: "detail" },
                ]}
              />
            </>
          )}
        </div>
      )}
    </Modal>
  );
}
