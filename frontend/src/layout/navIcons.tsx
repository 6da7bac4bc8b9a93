import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  CarOutlined,
  CloudServerOutlined,
  ControlOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  FileSearchOutlined,
  KeyOutlined,
  LinkOutlined,
  MailOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";

/** The side menu's icon for each page of NAVIGATION (a test keeps the two in step). */
export const NAV_ICONS: Readonly<Record<string, ReactNode>> = {
  "/dashboard": <DashboardOutlined />,
  "/vehicles": <CarOutlined />,
  "/alarms": <AlertOutlined />,
  "/admin/registry": <DatabaseOutlined />,
  "/admin/users": <TeamOutlined />,
  "/admin/invitations": <MailOutlined />,
  "/admin/roles": <SafetyCertificateOutlined />,
  "/admin/api-clients": <ApiOutlined />,
  "/admin/support": <KeyOutlined />,
  "/admin/alarm-rules": <ControlOutlined />,
  "/admin/alarm-handling": <NotificationOutlined />,
  "/admin/audit": <AuditOutlined />,
  "/provider/health": <CloudServerOutlined />,
  "/provider/tenants": <ApartmentOutlined />,
  "/provider/accounts": <LinkOutlined />,
  "/provider/audit": <FileSearchOutlined />,
};
