import { PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { App, Button, Space, Typography, Upload } from "antd";
import { useState } from "react";
import { uploadFile } from "../../api/upload";
import { DateTime } from "../../components/DateTime";
import { useCodeText } from "../../components/PageState";
import { useI18n } from "../../i18n/I18nProvider";
import { evidencePath } from "./evidencePath";

// The API's evidence_max_bytes default (docs/alarms.md, "Evidence"); the API checks it again.
const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

export interface EvidenceItem {
  id: string;
  fileName: string;
  addedBy: string;
  addedAt: string;
  downloadUrl: string;
}

/**
 * A case's evidence files with their download links and, for callers with alarms:ack, an
 * upload through the API's route (a browser PUT to the presigned S3 URL would need CORS on
 * the bucket).
 */
export function EvidenceList({ caseId, items, mayUpload, onUploaded }: { caseId: string; items: readonly EvidenceItem[]; mayUpload: boolean; onUploaded: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const codeText = useCodeText();
  const [busy, setBusy] = useState(false);

  const upload = async (file: File) => {
    if (file.size > MAX_EVIDENCE_BYTES) {
      void message.error(t("cases.evidenceTooLarge", { mb: MAX_EVIDENCE_BYTES / 1024 / 1024 }));
      return;
    }
    setBusy(true);
    const result = await uploadFile(evidencePath(caseId, file.name), file, file.type || "application/octet-stream");
    setBusy(false);
    if (result.ok) {
      void message.success(t("cases.evidenceUploaded"));
      onUploaded();
    } else {
      void message.error(codeText(result.code, result.message));
    }
  };

  return (
    <div data-testid="case-evidence">
      <Space style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t("cases.evidence")}
        </Typography.Title>
        {mayUpload && (
          <Upload
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={busy} data-testid="evidence-upload">
              {t("cases.uploadEvidence")}
            </Button>
          </Upload>
        )}
      </Space>
      {items.length === 0 && <Typography.Paragraph type="secondary">{t("cases.noEvidence")}</Typography.Paragraph>}
      {items.map((item) => (
        <div key={item.id}>
          <PaperClipOutlined />{" "}
          <a href={item.downloadUrl} target="_blank" rel="noreferrer" data-testid="evidence-link">
            {item.fileName}
          </a>{" "}
          · <DateTime value={item.addedAt} />{" "}
          <Typography.Text type="secondary" className="ng-mono">
            {item.addedBy}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}
