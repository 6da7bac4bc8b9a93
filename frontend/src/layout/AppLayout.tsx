import { LogoutOutlined, SafetyCertificateOutlined, UserOutlined } from "@ant-design/icons";
import { Avatar, Dropdown, Layout, Menu, Segmented, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { Outlet, useLocation, useNavigate } from "react-router-dom";
import { logout } from "../api/auth";
import { useSession } from "../auth/SessionProvider";
import { useRuntimeConfig } from "../config/RuntimeConfigContext";
import { useI18n } from "../i18n/I18nProvider";
import { selectedMenuKey, visibleNavigation } from "./navigation";
import { RoleTag } from "../components/RoleTag";
import { NAV_ICONS } from "./navIcons";

export function AppLayout() {
  const { t, locale, setLocale } = useI18n();
  const { me, can } = useSession();
  const config = useRuntimeConfig();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const sections = visibleNavigation(can);
  const paths = sections.flatMap((section) => section.items.map((item) => item.path));
  const selected = selectedMenuKey(location.pathname, paths);

  const signOut = async () => {
    try {
      await logout();
    } finally {
      // A full load drops every cached answer of this session before the next sign-in.
      window.location.assign("/login");
    }
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={208} theme="dark">
        <div className="ng-logo" onClick={() => navigate("/")}>
          <SafetyCertificateOutlined style={{ fontSize: 20, color: "#4096ff" }} />
          {!collapsed && <span>{config.deploymentName}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          data-testid="side-menu"
          selectedKeys={selected ? [selected] : []}
          defaultOpenKeys={sections.map((section) => section.key)}
          onClick={({ key }) => navigate(key)}
          items={sections.map((section) => ({
            key: section.key,
            type: "group" as const,
            label: collapsed ? null : t(section.label),
            children: section.items.map((item) => ({ key: item.path, icon: NAV_ICONS[item.path], label: t(item.label) })),
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="ng-header">
          <Typography.Text strong>{t("app.title")}</Typography.Text>
          <Space size="middle">
            {me.tenant && <Tag color="blue" data-testid="tenant-tag">{t("header.tenant", { tenant: me.tenant })}</Tag>}
            <Segmented
              size="small"
              data-testid="language-switch"
              value={locale}
              onChange={(value) => setLocale(value === "en" ? "en" : "zh-CN")}
              options={[
                { value: "zh-CN", label: "中文" },
                { value: "en", label: "EN" },
              ]}
              aria-label={t("header.language")}
            />
            <Dropdown
              menu={{
                items: [
                  { key: "profile", icon: <UserOutlined />, label: t("nav.profile"), onClick: () => navigate("/profile") },
                  { key: "logout", icon: <LogoutOutlined />, label: t("header.logout"), onClick: () => void signOut() },
                ],
              }}
            >
              <Space style={{ cursor: "pointer" }} data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} />
                {(me.displayName || me.email) && <span>{me.displayName || me.email}</span>}
                <RoleTag role={me.role} />
              </Space>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="ng-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
