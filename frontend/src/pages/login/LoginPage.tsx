import { LockOutlined, MailOutlined, SafetyOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Segmented, Typography } from "antd";
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { AuthError, login, needsSecondFactor } from "../../api/auth";
import { useRuntimeConfig } from "../../config/RuntimeConfigContext";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/catalogs";
import { safeNextPath } from "./nextPath";

interface FormValues {
  email: string;
  password: string;
  totp?: string;
}

const REASONS: Record<string, MessageKey> = {
  "auth.invalid_credentials": "login.error.invalidCredentials",
  "auth.locked": "login.error.locked",
  "auth.totp_required": "login.error.totpRequired",
  "auth.totp_invalid": "login.error.totpInvalid",
  "auth.totp_replayed": "login.error.totpReplayed",
  "auth.totp_enrollment_required": "login.error.totpEnrollment",
};

export function LoginPage() {
  const { t, locale, setLocale } = useI18n();
  const config = useRuntimeConfig();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [secondFactor, setSecondFactor] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const describe = (error: unknown): string => {
    if (error instanceof AuthError) {
      if (error.code === "RATE_LIMITED") return t("login.error.rateLimited", { seconds: error.retryAfterSeconds ?? 60 });
      const key = error.reason ? REASONS[error.reason] : undefined;
      if (key) return t(key);
      if (error.code === "NETWORK") return t("error.NETWORK");
    }
    return t("error.generic");
  };

  const submit = async (values: FormValues) => {
    setBusy(true);
    setFailure(null);
    try {
      await login({ email: values.email.trim(), password: values.password, totp: values.totp?.trim() });
      navigate(safeNextPath(params.get("next")), { replace: true });
    } catch (error) {
      if (needsSecondFactor(error)) setSecondFactor(true);
      setFailure(describe(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="ng-login">
      <div className="ng-login-lang">
        <Segmented
          size="small"
          value={locale}
          onChange={(value) => setLocale(value === "en" ? "en" : "zh-CN")}
          options={[
            { value: "zh-CN", label: "中文" },
            { value: "en", label: "EN" },
          ]}
        />
      </div>
      <Card className="ng-login-card">
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {config.deploymentName}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t("login.subtitle")}</Typography.Paragraph>
        {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form<FormValues> layout="vertical" size="middle" onFinish={(values) => void submit(values)} requiredMark={false}>
          <Form.Item name="email" label={t("login.email")} rules={[{ required: true, type: "email", message: t("login.emailRequired") }]}>
            <Input prefix={<MailOutlined />} autoComplete="username" data-testid="login-email" />
          </Form.Item>
          <Form.Item name="password" label={t("login.password")} rules={[{ required: true, message: t("login.passwordRequired") }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {secondFactor && (
            <Form.Item
              name="totp"
              label={t("login.totp")}
              extra={t("login.totpHelp")}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t("login.totpFormat") }]}
            >
              <Input prefix={<SafetyOutlined />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} data-testid="login-totp" autoFocus />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t("login.submit")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
