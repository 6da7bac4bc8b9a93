import { Alert, Button, Empty, Result, Spin } from "antd";
import type { CombinedError } from "urql";
import { errorCode, requestIdOf } from "../api/errors";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/catalogs";

const KNOWN_CODES: Record<string, MessageKey> = {
  FORBIDDEN: "error.FORBIDDEN",
  NOT_FOUND: "error.NOT_FOUND",
  RATE_LIMITED: "error.RATE_LIMITED",
  TIMEOUT: "error.TIMEOUT",
  NETWORK: "error.NETWORK",
  BAD_USER_INPUT: "error.BAD_USER_INPUT",
  CONFLICT: "error.CONFLICT",
  UNAUTHENTICATED: "error.UNAUTHENTICATED",
  PAYLOAD_TOO_LARGE: "error.PAYLOAD_TOO_LARGE",
};

/** A stable error code in words; the API's detail is added for bad input, which it explains. */
export function useCodeText(): (code: string, detail?: string | null) => string {
  const { t } = useI18n();
  return (code, detail) => {
    const key = KNOWN_CODES[code];
    const base = key ? t(key) : t("error.generic");
    return detail && code === "BAD_USER_INPUT" ? `${base}: ${detail}` : base;
  };
}

export function useErrorText(): (error: CombinedError) => string {
  const codeText = useCodeText();
  return (error) => codeText(errorCode(error), error.graphQLErrors[0]?.message);
}

export function ErrorNotice({ error, onRetry }: { error: CombinedError; onRetry?: () => void }) {
  const { t } = useI18n();
  const text = useErrorText();
  const requestId = requestIdOf(error);
  return (
    <Alert
      type="error"
      showIcon
      title={text(error)}
      description={requestId ? t("error.requestId", { id: requestId }) : undefined}
      action={onRetry ? <Button onClick={onRetry}>{t("common.retry")}</Button> : undefined}
      data-testid="error-notice"
    />
  );
}

export function FullPageLoading() {
  return (
    <div style={{ display: "flex", height: "100vh", alignItems: "center", justifyContent: "center" }}>
      <Spin size="large" />
    </div>
  );
}

export function FullPageError({ error, onRetry }: { error: CombinedError; onRetry: () => void }) {
  return (
    <div style={{ padding: 48 }}>
      <ErrorNotice error={error} onRetry={onRetry} />
    </div>
  );
}

export function EmptyState({ text }: { text?: string }) {
  const { t } = useI18n();
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text ?? t("common.empty")} />;
}

export function Forbidden() {
  const { t } = useI18n();
  return <Result status="403" title="403" subTitle={t("error.pageForbidden")} data-testid="forbidden" />;
}

export function NotFoundPage() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t("error.pageNotFound")} />;
}
