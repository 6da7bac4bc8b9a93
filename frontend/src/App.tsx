import { App as AntApp } from "antd";
import { lazy, Suspense, useMemo, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from "react-router-dom";
import { Provider as UrqlProvider } from "urql";
import { createApiClient } from "./api/client";
import { RequirePermission } from "./auth/RequirePermission";
import { SessionProvider, useSession } from "./auth/SessionProvider";
import { FullPageLoading, NotFoundPage } from "./components/PageState";
import { AppLayout } from "./layout/AppLayout";
import { homePath, requirementOf } from "./layout/navigation";
import { LoginPage } from "./pages/login/LoginPage";
import { ProfilePage } from "./pages/profile/ProfilePage";

// Pages load on first visit: the sign-in page and the shell stay small.
const DashboardPage = lazy(() => import("./pages/fleet/DashboardPage").then((m) => ({ default: m.DashboardPage })));
const VehiclesPage = lazy(() => import("./pages/vehicles/VehiclesPage").then((m) => ({ default: m.VehiclesPage })));
const VehiclePage = lazy(() => import("./pages/vehicles/VehiclePage").then((m) => ({ default: m.VehiclePage })));
const AlarmsPage = lazy(() => import("./pages/alarms/AlarmsPage").then((m) => ({ default: m.AlarmsPage })));
const AlarmRulesPage = lazy(() => import("./pages/alarms/AlarmRulesPage").then((m) => ({ default: m.AlarmRulesPage })));
const RegistryPage = lazy(() => import("./pages/registry/RegistryPage").then((m) => ({ default: m.RegistryPage })));
const AlarmHandlingPage = lazy(() => import("./pages/alarmSettings/AlarmHandlingPage").then((m) => ({ default: m.AlarmHandlingPage })));
const UsersPage = lazy(() => import("./pages/admin/UsersPage").then((m) => ({ default: m.UsersPage })));
const InvitationsPage = lazy(() => import("./pages/admin/InvitationsPage").then((m) => ({ default: m.InvitationsPage })));
const RolesPage = lazy(() => import("./pages/admin/RolesPage").then((m) => ({ default: m.RolesPage })));
const ApiClientsPage = lazy(() => import("./pages/admin/ApiClientsPage").then((m) => ({ default: m.ApiClientsPage })));
const SupportGrantsPage = lazy(() => import("./pages/admin/SupportGrantsPage").then((m) => ({ default: m.SupportGrantsPage })));
const TenantsPage = lazy(() => import("./pages/provider/TenantsPage").then((m) => ({ default: m.TenantsPage })));
const PlatformAccountsPage = lazy(() => import("./pages/provider/PlatformAccountsPage").then((m) => ({ default: m.PlatformAccountsPage })));
const AuditPage = lazy(() => import("./pages/audit/AuditPage").then((m) => ({ default: m.AuditPage })));
const PlatformHealthPage = lazy(() => import("./pages/provider/PlatformHealthPage").then((m) => ({ default: m.PlatformHealthPage })));

const PAGES: Record<string, ReactNode> = {
  "/dashboard": <DashboardPage />,
  "/vehicles": <VehiclesPage />,
  "/alarms": <AlarmsPage />,
  "/admin/alarm-rules": <AlarmRulesPage />,
  "/admin/alarm-handling": <AlarmHandlingPage />,
  "/admin/registry": <RegistryPage />,
  "/admin/users": <UsersPage />,
  "/admin/invitations": <InvitationsPage />,
  "/admin/roles": <RolesPage />,
  "/admin/api-clients": <ApiClientsPage />,
  "/admin/support": <SupportGrantsPage />,
  "/admin/audit": <AuditPage platform={false} />,
  "/provider/tenants": <TenantsPage />,
  "/provider/accounts": <PlatformAccountsPage />,
  "/provider/health": <PlatformHealthPage />,
  "/provider/audit": <AuditPage platform />,
};

function Guarded({ path, children }: { path: string; children: ReactNode }) {
  return (
    <RequirePermission needs={requirementOf(path) ?? []}>
      <Suspense fallback={<FullPageLoading />}>{children}</Suspense>
    </RequirePermission>
  );
}

function Home() {
  const { can } = useSession();
  return <Navigate to={homePath(can)} replace />;
}

function ConsoleRoutes() {
  const navigate = useNavigate();
  // One client per app: its fetch renews the session and, when that fails, sends the user to
  // the sign-in page with the address they were on.
  const client = useMemo(
    () =>
      createApiClient(() => {
        const next = encodeURIComponent(window.location.pathname + window.location.search);
        if (!window.location.pathname.startsWith("/login")) navigate(`/login?next=${next}`, { replace: true });
      }),
    [navigate],
  );
  return (
    <UrqlProvider value={client}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <SessionProvider>
              <AppLayout />
            </SessionProvider>
          }
        >
          <Route index element={<Home />} />
          <Route path="/profile" element={<ProfilePage />} />
          {Object.entries(PAGES).map(([path, page]) => (
            <Route key={path} path={path} element={<Guarded path={path}>{page}</Guarded>} />
          ))}
          <Route
            path="/vehicles/:vin"
            element={
              <Guarded path="/vehicles">
                <VehiclePage />
              </Guarded>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </UrqlProvider>
  );
}

export function App() {
  return (
    <AntApp>
      <BrowserRouter>
        <ConsoleRoutes />
      </BrowserRouter>
    </AntApp>
  );
}
