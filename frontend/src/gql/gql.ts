/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      subject\n      role\n      tenant\n      permissions\n      email\n      displayName\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Users($first: Int!, $after: String) {\n    users(first: $first, after: $after) {\n      items {\n        id\n        email\n        displayName\n        role\n        disabled\n        totpEnrolled\n        lockedUntil\n        createdAt\n      }\n      nextCursor\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation SetUserRole($userId: Int!, $role: Role!) {\n    setUserRole(userId: $userId, role: $role) {\n      id\n      role\n    }\n  }\n": typeof types.SetUserRoleDocument,
    "\n  mutation SetUserDisabled($userId: Int!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) {\n      id\n      disabled\n    }\n  }\n": typeof types.SetUserDisabledDocument,
    "\n  query Invitations($first: Int!, $after: String) {\n    invitations(first: $first, after: $after) {\n      items {\n        id\n        email\n        role\n        expiresAt\n      }\n      nextCursor\n    }\n  }\n": typeof types.InvitationsDocument,
    "\n  mutation InviteUser($email: String!, $role: Role!) {\n    inviteUser(email: $email, role: $role) {\n      invitation {\n        id\n        email\n        role\n        expiresAt\n      }\n      token\n    }\n  }\n": typeof types.InviteUserDocument,
    "\n  mutation RevokeInvitation($invitationId: Int!) {\n    revokeInvitation(invitationId: $invitationId)\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  query Roles {\n    roles {\n      role\n      permissions\n    }\n  }\n": typeof types.RolesDocument,
    "\n  query ApiClients($first: Int!, $after: String) {\n    apiClients(first: $first, after: $after) {\n      items {\n        clientId\n        name\n        scopes\n        enabled\n      }\n      nextCursor\n    }\n  }\n": typeof types.ApiClientsDocument,
    "\n  mutation CreateApiClient($name: String!, $scopes: [String!]!) {\n    createApiClient(name: $name, scopes: $scopes) {\n      client {\n        clientId\n        name\n        scopes\n        enabled\n      }\n      clientSecret\n    }\n  }\n": typeof types.CreateApiClientDocument,
    "\n  mutation SetApiClientEnabled($clientId: String!, $enabled: Boolean!) {\n    setApiClientEnabled(clientId: $clientId, enabled: $enabled)\n  }\n": typeof types.SetApiClientEnabledDocument,
    "\n  query SupportGrants {\n    supportGrants {\n      id\n      granteeEmail\n      grantedByEmail\n      reason\n      createdAt\n      expiresAt\n      revokedAt\n    }\n  }\n": typeof types.SupportGrantsDocument,
    "\n  mutation GrantSupport($email: String!, $reason: String!, $hours: Int!) {\n    grantSupport(email: $email, reason: $reason, hours: $hours) {\n      id\n    }\n  }\n": typeof types.GrantSupportDocument,
    "\n  mutation RevokeSupport($grantId: Int!) {\n    revokeSupport(grantId: $grantId)\n  }\n": typeof types.RevokeSupportDocument,
    "\n  query AlarmHandlingSettings {\n    alarmHandlingSettings {\n      policies {\n        level\n        channels\n        openCase\n      }\n      confirmMinutes\n      disposeWorkingDays\n      escalationRepeatMinutes\n      maxEscalations\n      weekdays\n      holidays\n      extraWorkdays\n      timeZone\n    }\n  }\n": typeof types.AlarmHandlingSettingsDocument,
    "\n  mutation UpdateAlarmHandling($settings: AlarmHandlingInput!) {\n    updateAlarmHandling(settings: $settings) {\n      confirmMinutes\n    }\n  }\n": typeof types.UpdateAlarmHandlingDocument,
    "\n  query DutyRota {\n    dutyRota {\n      people {\n        key\n        name\n        email\n        phone\n      }\n      shifts {\n        weekday\n        start\n        end\n        people\n      }\n      overrides {\n        start\n        end\n        people\n      }\n      escalation\n      timeZone\n      gaps {\n        startMinute\n        endMinute\n      }\n      onDutyNow {\n        key\n        name\n      }\n    }\n  }\n": typeof types.DutyRotaDocument,
    "\n  mutation UpdateDutyRota($rota: DutyRotaInput!) {\n    updateDutyRota(rota: $rota) {\n      timeZone\n    }\n  }\n": typeof types.UpdateDutyRotaDocument,
    "\n  query NotificationChannels {\n    notificationChannels {\n      kind\n      enabled\n      target\n      smtpPort\n      smtpSecurity\n      smtpUsername\n      sender\n      secretSet\n      updatedBy\n      updatedAt\n    }\n  }\n": typeof types.NotificationChannelsDocument,
    "\n  mutation PutNotificationChannel($channel: NotificationChannelInput!) {\n    putNotificationChannel(channel: $channel) {\n      kind\n    }\n  }\n": typeof types.PutNotificationChannelDocument,
    "\n  mutation RemoveNotificationChannel($kind: NotificationChannelKind!) {\n    removeNotificationChannel(kind: $kind)\n  }\n": typeof types.RemoveNotificationChannelDocument,
    "\n  fragment AlarmCaseFields on AlarmCase {\n    id\n    eventId\n    vin\n    source\n    code\n    nameZh\n    nameEn\n    level\n    state\n    alarmOpen\n    openedAt\n    confirmDue\n    disposeDue\n    acknowledgedAt\n    acknowledgedBy\n    assignee\n    assignedAt\n    disposedAt\n    disposedBy\n    disposition\n    escalations\n    disposeEscalated\n    reopenCount\n    confirmBreached\n    disposeBreached\n  }\n": typeof types.AlarmCaseFieldsFragmentDoc,
    "\n  query AlarmCases($filter: AlarmCaseFilterInput, $first: Int, $after: String) {\n    alarmCases(filter: $filter, first: $first, after: $after) {\n      items {\n        ...AlarmCaseFields\n      }\n      nextCursor\n    }\n  }\n": typeof types.AlarmCasesDocument,
    "\n  query AlarmCase($caseId: ID!) {\n    alarmCase(caseId: $caseId) {\n      case {\n        ...AlarmCaseFields\n      }\n      steps {\n        kind\n        actor\n        at\n        comment\n        assignee\n        disposition\n      }\n      evidence {\n        id\n        fileName\n        addedBy\n        addedAt\n        downloadUrl\n      }\n    }\n  }\n": typeof types.AlarmCaseDocument,
    "\n  mutation AcknowledgeAlarmCase($caseId: ID!, $comment: String) {\n    acknowledgeAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": typeof types.AcknowledgeAlarmCaseDocument,
    "\n  mutation AssignAlarmCase($caseId: ID!, $assignee: String!, $comment: String) {\n    assignAlarmCase(caseId: $caseId, assignee: $assignee, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": typeof types.AssignAlarmCaseDocument,
    "\n  mutation CommentAlarmCase($caseId: ID!, $comment: String!) {\n    commentAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": typeof types.CommentAlarmCaseDocument,
    "\n  mutation DisposeAlarmCase($caseId: ID!, $disposition: AlarmDisposition!, $comment: String) {\n    disposeAlarmCase(caseId: $caseId, disposition: $disposition, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": typeof types.DisposeAlarmCaseDocument,
    "\n  mutation ReopenAlarmCase($caseId: ID!, $comment: String!) {\n    reopenAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": typeof types.ReopenAlarmCaseDocument,
    "\n  query AlarmStatistics($from: DateTime!, $to: DateTime!) {\n    alarmStatistics(from: $from, to: $to) {\n      byLevel {\n        level\n        count\n      }\n      byType(limit: 10) {\n        source\n        code\n        nameZh\n        nameEn\n        count\n      }\n      byDay {\n        day\n        count\n      }\n      topVehicles(limit: 10) {\n        vin\n        count\n        peakLevel\n        lastOpenedAt\n      }\n      timeToAcknowledge {\n        count\n        meanSeconds\n        p50Seconds\n        p90Seconds\n      }\n      timeToDispose {\n        count\n        meanSeconds\n        p50Seconds\n        p90Seconds\n      }\n      slaBreaches {\n        cases\n        openCases\n        confirmBreached\n        disposeBreached\n      }\n    }\n  }\n": typeof types.AlarmStatisticsDocument,
    "\n  subscription LiveAlarms {\n    alarmEvents {\n      kind\n      change\n      eventId\n      caseId\n      vin\n      level\n      state\n      at\n    }\n  }\n": typeof types.LiveAlarmsDocument,
    "\n  query AlarmEvents($filter: AlarmEventFilterInput, $first: Int, $after: String) {\n    alarmEvents(filter: $filter, first: $first, after: $after) {\n      items {\n        id\n        vin\n        source\n        code\n        nameZh\n        nameEn\n        state\n        level\n        peakLevel\n        emergency\n        openedAt\n        lastSeenAt\n        closedAt\n        frameCount\n        reopenCount\n        flapping\n        historical\n        faultCodes\n        complianceFlags {\n          kind\n          detectedAt\n          details\n        }\n      }\n      nextCursor\n    }\n  }\n": typeof types.AlarmEventsDocument,
    "\n  query AlarmRules($modelId: Int) {\n    alarmRules(modelId: $modelId) {\n      code\n      modelId\n      nameZh\n      nameEn\n      unit\n      threshold\n      level\n      enabled\n      defaultThreshold\n      defaultLevel\n      overridden\n    }\n  }\n": typeof types.AlarmRulesDocument,
    "\n  mutation UpdateAlarmRule($rule: AlarmRuleInput!) {\n    updateAlarmRule(rule: $rule) {\n      code\n      modelId\n      threshold\n      level\n      enabled\n      overridden\n    }\n  }\n": typeof types.UpdateAlarmRuleDocument,
    "\n  fragment AuditEntryFields on AuditEntryNode {\n    seq\n    at\n    actorKind\n    actorId\n    actorTenant\n    role\n    tenant\n    operation\n    result\n    targets\n    ip\n    userAgent\n    requestId\n    details\n    hash\n  }\n": typeof types.AuditEntryFieldsFragmentDoc,
    "\n  fragment SecurityAlertFields on SecurityAlertNode {\n    id\n    kind\n    tenant\n    subject\n    firstSeen\n    lastSeen\n    count\n    details\n    acknowledged\n    acknowledgedBy\n  }\n": typeof types.SecurityAlertFieldsFragmentDoc,
    "\n  query AuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {\n    auditLog(where: $where, first: $first, before: $before) {\n      items {\n        ...AuditEntryFields\n      }\n      nextBefore\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query PlatformAuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {\n    platformAuditLog(where: $where, first: $first, before: $before) {\n      items {\n        ...AuditEntryFields\n      }\n      nextBefore\n    }\n  }\n": typeof types.PlatformAuditLogDocument,
    "\n  query SecurityAlerts($includeAcknowledged: Boolean!) {\n    securityAlerts(includeAcknowledged: $includeAcknowledged) {\n      ...SecurityAlertFields\n    }\n  }\n": typeof types.SecurityAlertsDocument,
    "\n  query PlatformSecurityAlerts($includeAcknowledged: Boolean!) {\n    platformSecurityAlerts(includeAcknowledged: $includeAcknowledged) {\n      ...SecurityAlertFields\n    }\n  }\n": typeof types.PlatformSecurityAlertsDocument,
    "\n  mutation AcknowledgeSecurityAlert($alertId: Int!) {\n    acknowledgeSecurityAlert(alertId: $alertId) {\n      id\n      acknowledged\n    }\n  }\n": typeof types.AcknowledgeSecurityAlertDocument,
    "\n  mutation AcknowledgePlatformSecurityAlert($alertId: Int!) {\n    acknowledgePlatformSecurityAlert(alertId: $alertId) {\n      id\n      acknowledged\n    }\n  }\n": typeof types.AcknowledgePlatformSecurityAlertDocument,
    "\n  query FleetOverview {\n    fleetOverview {\n      at\n      counts {\n        total\n        online\n        offline\n        neverConnected\n        driving\n        charging\n        alarming\n      }\n      byModel {\n        modelId\n        model {\n          name\n        }\n        counts {\n          total\n          online\n          driving\n          charging\n          alarming\n        }\n      }\n    }\n  }\n": typeof types.FleetOverviewDocument,
    "\n  query FleetPositions($first: Int!, $after: String) {\n    vehicles(first: $first, after: $after) {\n      items {\n        vin\n        latestState {\n          online\n          lastFrameAt\n          longitudeDeg\n          latitudeDeg\n          alarmLevel\n          driving\n          charging\n        }\n      }\n      nextCursor\n    }\n  }\n": typeof types.FleetPositionsDocument,
    "\n  subscription FleetEvents {\n    fleetEvents {\n      vin\n      kind\n      at\n      online\n    }\n  }\n": typeof types.FleetEventsDocument,
    "\n  query RecentFleetEvents($limit: Int) {\n    recentFleetEvents(limit: $limit) {\n      vin\n      kind\n      at\n      online\n    }\n  }\n": typeof types.RecentFleetEventsDocument,
    "\n  query Tenants($first: Int!, $after: String) {\n    tenants(first: $first, after: $after) {\n      items {\n        slug\n        name\n        status\n        createdAt\n        vehicleCount\n        quotas {\n          vehicles\n          storageGb\n          apiRequestsPerMinute\n        }\n      }\n      nextCursor\n    }\n  }\n": typeof types.TenantsDocument,
    "\n  mutation CreateTenant($slug: String!, $name: String!, $quotas: QuotasInput) {\n    createTenant(slug: $slug, name: $name, quotas: $quotas) {\n      slug\n    }\n  }\n": typeof types.CreateTenantDocument,
    "\n  mutation SuspendTenant($slug: String!) {\n    suspendTenant(slug: $slug) {\n      slug\n      status\n    }\n  }\n": typeof types.SuspendTenantDocument,
    "\n  mutation ResumeTenant($slug: String!) {\n    resumeTenant(slug: $slug) {\n      slug\n      status\n    }\n  }\n": typeof types.ResumeTenantDocument,
    "\n  mutation SetTenantQuotas($slug: String!, $quotas: QuotasInput!) {\n    setTenantQuotas(slug: $slug, quotas: $quotas) {\n      slug\n      quotas {\n        vehicles\n        storageGb\n        apiRequestsPerMinute\n      }\n    }\n  }\n": typeof types.SetTenantQuotasDocument,
    "\n  mutation InviteTenantAdmin($tenant: String!, $email: String!) {\n    inviteTenantAdmin(tenant: $tenant, email: $email) {\n      email\n      tenant\n      token\n    }\n  }\n": typeof types.InviteTenantAdminDocument,
    "\n  query PlatformAccounts($first: Int!, $after: String) {\n    platformAccounts(first: $first, after: $after) {\n      items {\n        id\n        username\n        tenant\n        enabled\n        maxVins\n        framesPerSecond\n      }\n      nextCursor\n    }\n  }\n": typeof types.PlatformAccountsDocument,
    "\n  mutation CreatePlatformAccount($username: String!, $password: String!, $tenant: String, $maxVins: Int, $framesPerSecond: Float) {\n    createPlatformAccount(username: $username, password: $password, tenant: $tenant, maxVins: $maxVins, framesPerSecond: $framesPerSecond) {\n      id\n    }\n  }\n": typeof types.CreatePlatformAccountDocument,
    "\n  query PlatformHealth {\n    platformHealth {\n      tenants\n      activeTenants\n      suspendedTenants\n      vehicles\n      gateways {\n        gateway\n        reportAgeS\n        connections\n        spoolRecords\n      }\n      ingest {\n        tenant\n        connectedVehicles\n        framesPerSecond\n        commitLagS\n        newestCommitAgeS\n      }\n    }\n    tenants(first: 100) {\n      items {\n        slug\n        name\n        status\n        vehicleCount\n        quotas {\n          vehicles\n        }\n      }\n      nextCursor\n    }\n  }\n": typeof types.PlatformHealthDocument,
    "\n  query Registry($filter: VehicleFilterInput, $first: Int!, $after: String) {\n    vehicles(filter: $filter, first: $first, after: $after) {\n      items {\n        vin\n        usageType\n        modelId\n        saleDate\n        productionBatch\n        batteryPackLot\n        createdAt\n        model {\n          id\n          name\n        }\n      }\n      nextCursor\n    }\n  }\n": typeof types.RegistryDocument,
    "\n  mutation CreateVehicle($vehicle: VehicleInput!) {\n    createVehicle(vehicle: $vehicle) {\n      vin\n    }\n  }\n": typeof types.CreateVehicleDocument,
    "\n  mutation CreateVehicleModel($model: VehicleModelInput!) {\n    createVehicleModel(model: $model) {\n      id\n      name\n    }\n  }\n": typeof types.CreateVehicleModelDocument,
    "\n  query RegistryModels {\n    vehicleModels {\n      id\n      name\n      maker\n      batteryChemistry\n      cellCount\n      probeCount\n      ratedCapacityKwh\n      batterySupplier\n      motorSupplier\n      updatedAt\n    }\n  }\n": typeof types.RegistryModelsDocument,
    "\n  mutation UpdateVehicle($vin: String!, $changes: VehicleChangesInput!) {\n    updateVehicle(vin: $vin, changes: $changes) {\n      vin\n    }\n  }\n": typeof types.UpdateVehicleDocument,
    "\n  mutation UpdateVehicleModel($id: Int!, $changes: VehicleModelChangesInput!) {\n    updateVehicleModel(id: $id, changes: $changes) {\n      id\n      name\n    }\n  }\n": typeof types.UpdateVehicleModelDocument,
    "\n  query VehicleModels {\n    vehicleModels {\n      id\n      name\n      maker\n      batteryChemistry\n      cellCount\n      probeCount\n      ratedCapacityKwh\n    }\n  }\n": typeof types.VehicleModelsDocument,
    "\n  query VehicleList($filter: VehicleFilterInput, $orderBy: VehicleOrderInput, $first: Int!, $after: String) {\n    vehicles(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      items {\n        vin\n        usageType\n        model {\n          id\n          name\n        }\n        latestState {\n          online\n          lastFrameAt\n          socPct\n          speedKmh\n          alarmLevel\n          driving\n          charging\n        }\n      }\n      nextCursor\n    }\n  }\n": typeof types.VehicleListDocument,
    "\n  query Vehicle($vin: String!) {\n    vehicle(vin: $vin) {\n      vin\n      usageType\n      saleDate\n      productionBatch\n      batteryPackLot\n      createdAt\n      model {\n        id\n        name\n        maker\n        batteryChemistry\n        cellCount\n        probeCount\n        ratedCapacityKwh\n      }\n      latestState {\n        online\n        linkUp\n        lastFrameAt\n        lastCollectedAt\n        longitudeDeg\n        latitudeDeg\n        vehicleState\n        chargingState\n        socPct\n        speedKmh\n        alarmLevel\n        driving\n        charging\n        alarming\n      }\n    }\n  }\n": typeof types.VehicleDocument,
    "\n  subscription VehicleLive($vin: String!) {\n    vehicleLive(vin: $vin) {\n      vin\n      online\n      lastFrameAt\n      collectedAt\n      receivedAt\n      socPct\n      speedKmh\n      alarmLevel\n      chargingState\n      longitudeDeg\n      latitudeDeg\n      positionValid\n    }\n  }\n": typeof types.VehicleLiveDocument,
    "\n  query VehicleLatestRecord($vin: String!) {\n    vehicle(vin: $vin) {\n      vin\n      latestRecord {\n        collectedAt\n        receivedAt\n        edition\n        vehicleState\n        runningMode\n        odometerKm\n        totalVoltageV\n        totalCurrentA\n        dcdcState\n        gear {\n          position\n          drivingForce\n          brakingForce\n        }\n        insulationKohm\n        acceleratorPct\n        brakePct\n        maxCellVoltageMv\n        minCellVoltageMv\n        maxTemperatureC\n        minTemperatureC\n        cellCount\n        probeCount\n        sentinels\n      }\n    }\n  }\n": typeof types.VehicleLatestRecordDocument,
    "\n  query VehicleHistory($vin: String!, $signals: [String!]!, $from: DateTime!, $to: DateTime!, $points: Int) {\n    vehicle(vin: $vin) {\n      vin\n      history(signals: $signals, from: $from, to: $to, points: $points, aggregates: [AVG, MIN, MAX]) {\n        times\n        source\n        bucketSeconds\n        series {\n          signal\n          values\n          avg\n          min\n          max\n        }\n      }\n    }\n  }\n": typeof types.VehicleHistoryDocument,
    "\n  query BatteryMatrix($vin: String!, $kind: MatrixKind!, $from: DateTime!, $to: DateTime!, $points: Int) {\n    vehicle(vin: $vin) {\n      vin\n      batteryMatrix(kind: $kind, from: $from, to: $to, points: $points) {\n        times\n        columns\n        bucketSeconds\n        values\n        avg\n      }\n    }\n  }\n": typeof types.BatteryMatrixDocument,
    "\n  query RawFrames($vin: String!, $from: DateTime!, $to: DateTime!, $first: Int!, $after: String) {\n    vehicle(vin: $vin) {\n      vin\n      rawFrames(from: $from, to: $to, first: $first, after: $after) {\n        items {\n          receivedAt\n          collectedAt\n          command\n          edition\n          hex\n          frameHash\n          encrypted\n          decodeError {\n            code\n            message\n            offset\n          }\n          records {\n            collectedAt\n            values\n          }\n        }\n        nextCursor\n      }\n    }\n  }\n": typeof types.RawFramesDocument,
    "\n  query Sessions($vin: String!, $from: DateTime!, $to: DateTime!) {\n    vehicle(vin: $vin) {\n      vin\n      sessions(from: $from, to: $to) {\n        start\n        end\n        startedBy\n        endReason\n      }\n    }\n  }\n": typeof types.SessionsDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      subject\n      role\n      tenant\n      permissions\n      email\n      displayName\n    }\n  }\n": types.MeDocument,
    "\n  query Users($first: Int!, $after: String) {\n    users(first: $first, after: $after) {\n      items {\n        id\n        email\n        displayName\n        role\n        disabled\n        totpEnrolled\n        lockedUntil\n        createdAt\n      }\n      nextCursor\n    }\n  }\n": types.UsersDocument,
    "\n  mutation SetUserRole($userId: Int!, $role: Role!) {\n    setUserRole(userId: $userId, role: $role) {\n      id\n      role\n    }\n  }\n": types.SetUserRoleDocument,
    "\n  mutation SetUserDisabled($userId: Int!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) {\n      id\n      disabled\n    }\n  }\n": types.SetUserDisabledDocument,
    "\n  query Invitations($first: Int!, $after: String) {\n    invitations(first: $first, after: $after) {\n      items {\n        id\n        email\n        role\n        expiresAt\n      }\n      nextCursor\n    }\n  }\n": types.InvitationsDocument,
    "\n  mutation InviteUser($email: String!, $role: Role!) {\n    inviteUser(email: $email, role: $role) {\n      invitation {\n        id\n        email\n        role\n        expiresAt\n      }\n      token\n    }\n  }\n": types.InviteUserDocument,
    "\n  mutation RevokeInvitation($invitationId: Int!) {\n    revokeInvitation(invitationId: $invitationId)\n  }\n": types.RevokeInvitationDocument,
    "\n  query Roles {\n    roles {\n      role\n      permissions\n    }\n  }\n": types.RolesDocument,
    "\n  query ApiClients($first: Int!, $after: String) {\n    apiClients(first: $first, after: $after) {\n      items {\n        clientId\n        name\n        scopes\n        enabled\n      }\n      nextCursor\n    }\n  }\n": types.ApiClientsDocument,
    "\n  mutation CreateApiClient($name: String!, $scopes: [String!]!) {\n    createApiClient(name: $name, scopes: $scopes) {\n      client {\n        clientId\n        name\n        scopes\n        enabled\n      }\n      clientSecret\n    }\n  }\n": types.CreateApiClientDocument,
    "\n  mutation SetApiClientEnabled($clientId: String!, $enabled: Boolean!) {\n    setApiClientEnabled(clientId: $clientId, enabled: $enabled)\n  }\n": types.SetApiClientEnabledDocument,
    "\n  query SupportGrants {\n    supportGrants {\n      id\n      granteeEmail\n      grantedByEmail\n      reason\n      createdAt\n      expiresAt\n      revokedAt\n    }\n  }\n": types.SupportGrantsDocument,
    "\n  mutation GrantSupport($email: String!, $reason: String!, $hours: Int!) {\n    grantSupport(email: $email, reason: $reason, hours: $hours) {\n      id\n    }\n  }\n": types.GrantSupportDocument,
    "\n  mutation RevokeSupport($grantId: Int!) {\n    revokeSupport(grantId: $grantId)\n  }\n": types.RevokeSupportDocument,
    "\n  query AlarmHandlingSettings {\n    alarmHandlingSettings {\n      policies {\n        level\n        channels\n        openCase\n      }\n      confirmMinutes\n      disposeWorkingDays\n      escalationRepeatMinutes\n      maxEscalations\n      weekdays\n      holidays\n      extraWorkdays\n      timeZone\n    }\n  }\n": types.AlarmHandlingSettingsDocument,
    "\n  mutation UpdateAlarmHandling($settings: AlarmHandlingInput!) {\n    updateAlarmHandling(settings: $settings) {\n      confirmMinutes\n    }\n  }\n": types.UpdateAlarmHandlingDocument,
    "\n  query DutyRota {\n    dutyRota {\n      people {\n        key\n        name\n        email\n        phone\n      }\n      shifts {\n        weekday\n        start\n        end\n        people\n      }\n      overrides {\n        start\n        end\n        people\n      }\n      escalation\n      timeZone\n      gaps {\n        startMinute\n        endMinute\n      }\n      onDutyNow {\n        key\n        name\n      }\n    }\n  }\n": types.DutyRotaDocument,
    "\n  mutation UpdateDutyRota($rota: DutyRotaInput!) {\n    updateDutyRota(rota: $rota) {\n      timeZone\n    }\n  }\n": types.UpdateDutyRotaDocument,
    "\n  query NotificationChannels {\n    notificationChannels {\n      kind\n      enabled\n      target\n      smtpPort\n      smtpSecurity\n      smtpUsername\n      sender\n      secretSet\n      updatedBy\n      updatedAt\n    }\n  }\n": types.NotificationChannelsDocument,
    "\n  mutation PutNotificationChannel($channel: NotificationChannelInput!) {\n    putNotificationChannel(channel: $channel) {\n      kind\n    }\n  }\n": types.PutNotificationChannelDocument,
    "\n  mutation RemoveNotificationChannel($kind: NotificationChannelKind!) {\n    removeNotificationChannel(kind: $kind)\n  }\n": types.RemoveNotificationChannelDocument,
    "\n  fragment AlarmCaseFields on AlarmCase {\n    id\n    eventId\n    vin\n    source\n    code\n    nameZh\n    nameEn\n    level\n    state\n    alarmOpen\n    openedAt\n    confirmDue\n    disposeDue\n    acknowledgedAt\n    acknowledgedBy\n    assignee\n    assignedAt\n    disposedAt\n    disposedBy\n    disposition\n    escalations\n    disposeEscalated\n    reopenCount\n    confirmBreached\n    disposeBreached\n  }\n": types.AlarmCaseFieldsFragmentDoc,
    "\n  query AlarmCases($filter: AlarmCaseFilterInput, $first: Int, $after: String) {\n    alarmCases(filter: $filter, first: $first, after: $after) {\n      items {\n        ...AlarmCaseFields\n      }\n      nextCursor\n    }\n  }\n": types.AlarmCasesDocument,
    "\n  query AlarmCase($caseId: ID!) {\n    alarmCase(caseId: $caseId) {\n      case {\n        ...AlarmCaseFields\n      }\n      steps {\n        kind\n        actor\n        at\n        comment\n        assignee\n        disposition\n      }\n      evidence {\n        id\n        fileName\n        addedBy\n        addedAt\n        downloadUrl\n      }\n    }\n  }\n": types.AlarmCaseDocument,
    "\n  mutation AcknowledgeAlarmCase($caseId: ID!, $comment: String) {\n    acknowledgeAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": types.AcknowledgeAlarmCaseDocument,
    "\n  mutation AssignAlarmCase($caseId: ID!, $assignee: String!, $comment: String) {\n    assignAlarmCase(caseId: $caseId, assignee: $assignee, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": types.AssignAlarmCaseDocument,
    "\n  mutation CommentAlarmCase($caseId: ID!, $comment: String!) {\n    commentAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": types.CommentAlarmCaseDocument,
    "\n  mutation DisposeAlarmCase($caseId: ID!, $disposition: AlarmDisposition!, $comment: String) {\n    disposeAlarmCase(caseId: $caseId, disposition: $disposition, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": types.DisposeAlarmCaseDocument,
    "\n  mutation ReopenAlarmCase($caseId: ID!, $comment: String!) {\n    reopenAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n": types.ReopenAlarmCaseDocument,
    "\n  query AlarmStatistics($from: DateTime!, $to: DateTime!) {\n    alarmStatistics(from: $from, to: $to) {\n      byLevel {\n        level\n        count\n      }\n      byType(limit: 10) {\n        source\n        code\n        nameZh\n        nameEn\n        count\n      }\n      byDay {\n        day\n        count\n      }\n      topVehicles(limit: 10) {\n        vin\n        count\n        peakLevel\n        lastOpenedAt\n      }\n      timeToAcknowledge {\n        count\n        meanSeconds\n        p50Seconds\n        p90Seconds\n      }\n      timeToDispose {\n        count\n        meanSeconds\n        p50Seconds\n        p90Seconds\n      }\n      slaBreaches {\n        cases\n        openCases\n        confirmBreached\n        disposeBreached\n      }\n    }\n  }\n": types.AlarmStatisticsDocument,
    "\n  subscription LiveAlarms {\n    alarmEvents {\n      kind\n      change\n      eventId\n      caseId\n      vin\n      level\n      state\n      at\n    }\n  }\n": types.LiveAlarmsDocument,
    "\n  query AlarmEvents($filter: AlarmEventFilterInput, $first: Int, $after: String) {\n    alarmEvents(filter: $filter, first: $first, after: $after) {\n      items {\n        id\n        vin\n        source\n        code\n        nameZh\n        nameEn\n        state\n        level\n        peakLevel\n        emergency\n        openedAt\n        lastSeenAt\n        closedAt\n        frameCount\n        reopenCount\n        flapping\n        historical\n        faultCodes\n        complianceFlags {\n          kind\n          detectedAt\n          details\n        }\n      }\n      nextCursor\n    }\n  }\n": types.AlarmEventsDocument,
    "\n  query AlarmRules($modelId: Int) {\n    alarmRules(modelId: $modelId) {\n      code\n      modelId\n      nameZh\n      nameEn\n      unit\n      threshold\n      level\n      enabled\n      defaultThreshold\n      defaultLevel\n      overridden\n    }\n  }\n": types.AlarmRulesDocument,
    "\n  mutation UpdateAlarmRule($rule: AlarmRuleInput!) {\n    updateAlarmRule(rule: $rule) {\n      code\n      modelId\n      threshold\n      level\n      enabled\n      overridden\n    }\n  }\n": types.UpdateAlarmRuleDocument,
    "\n  fragment AuditEntryFields on AuditEntryNode {\n    seq\n    at\n    actorKind\n    actorId\n    actorTenant\n    role\n    tenant\n    operation\n    result\n    targets\n    ip\n    userAgent\n    requestId\n    details\n    hash\n  }\n": types.AuditEntryFieldsFragmentDoc,
    "\n  fragment SecurityAlertFields on SecurityAlertNode {\n    id\n    kind\n    tenant\n    subject\n    firstSeen\n    lastSeen\n    count\n    details\n    acknowledged\n    acknowledgedBy\n  }\n": types.SecurityAlertFieldsFragmentDoc,
    "\n  query AuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {\n    auditLog(where: $where, first: $first, before: $before) {\n      items {\n        ...AuditEntryFields\n      }\n      nextBefore\n    }\n  }\n": types.AuditLogDocument,
    "\n  query PlatformAuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {\n    platformAuditLog(where: $where, first: $first, before: $before) {\n      items {\n        ...AuditEntryFields\n      }\n      nextBefore\n    }\n  }\n": types.PlatformAuditLogDocument,
    "\n  query SecurityAlerts($includeAcknowledged: Boolean!) {\n    securityAlerts(includeAcknowledged: $includeAcknowledged) {\n      ...SecurityAlertFields\n    }\n  }\n": types.SecurityAlertsDocument,
    "\n  query PlatformSecurityAlerts($includeAcknowledged: Boolean!) {\n    platformSecurityAlerts(includeAcknowledged: $includeAcknowledged) {\n      ...SecurityAlertFields\n    }\n  }\n": types.PlatformSecurityAlertsDocument,
    "\n  mutation AcknowledgeSecurityAlert($alertId: Int!) {\n    acknowledgeSecurityAlert(alertId: $alertId) {\n      id\n      acknowledged\n    }\n  }\n": types.AcknowledgeSecurityAlertDocument,
    "\n  mutation AcknowledgePlatformSecurityAlert($alertId: Int!) {\n    acknowledgePlatformSecurityAlert(alertId: $alertId) {\n      id\n      acknowledged\n    }\n  }\n": types.AcknowledgePlatformSecurityAlertDocument,
    "\n  query FleetOverview {\n    fleetOverview {\n      at\n      counts {\n        total\n        online\n        offline\n        neverConnected\n        driving\n        charging\n        alarming\n      }\n      byModel {\n        modelId\n        model {\n          name\n        }\n        counts {\n          total\n          online\n          driving\n          charging\n          alarming\n        }\n      }\n    }\n  }\n": types.FleetOverviewDocument,
    "\n  query FleetPositions($first: Int!, $after: String) {\n    vehicles(first: $first, after: $after) {\n      items {\n        vin\n        latestState {\n          online\n          lastFrameAt\n          longitudeDeg\n          latitudeDeg\n          alarmLevel\n          driving\n          charging\n        }\n      }\n      nextCursor\n    }\n  }\n": types.FleetPositionsDocument,
    "\n  subscription FleetEvents {\n    fleetEvents {\n      vin\n      kind\n      at\n      online\n    }\n  }\n": types.FleetEventsDocument,
    "\n  query RecentFleetEvents($limit: Int) {\n    recentFleetEvents(limit: $limit) {\n      vin\n      kind\n      at\n      online\n    }\n  }\n": types.RecentFleetEventsDocument,
    "\n  query Tenants($first: Int!, $after: String) {\n    tenants(first: $first, after: $after) {\n      items {\n        slug\n        name\n        status\n        createdAt\n        vehicleCount\n        quotas {\n          vehicles\n          storageGb\n          apiRequestsPerMinute\n        }\n      }\n      nextCursor\n    }\n  }\n": types.TenantsDocument,
    "\n  mutation CreateTenant($slug: String!, $name: String!, $quotas: QuotasInput) {\n    createTenant(slug: $slug, name: $name, quotas: $quotas) {\n      slug\n    }\n  }\n": types.CreateTenantDocument,
    "\n  mutation SuspendTenant($slug: String!) {\n    suspendTenant(slug: $slug) {\n      slug\n      status\n    }\n  }\n": types.SuspendTenantDocument,
    "\n  mutation ResumeTenant($slug: String!) {\n    resumeTenant(slug: $slug) {\n      slug\n      status\n    }\n  }\n": types.ResumeTenantDocument,
    "\n  mutation SetTenantQuotas($slug: String!, $quotas: QuotasInput!) {\n    setTenantQuotas(slug: $slug, quotas: $quotas) {\n      slug\n      quotas {\n        vehicles\n        storageGb\n        apiRequestsPerMinute\n      }\n    }\n  }\n": types.SetTenantQuotasDocument,
    "\n  mutation InviteTenantAdmin($tenant: String!, $email: String!) {\n    inviteTenantAdmin(tenant: $tenant, email: $email) {\n      email\n      tenant\n      token\n    }\n  }\n": types.InviteTenantAdminDocument,
    "\n  query PlatformAccounts($first: Int!, $after: String) {\n    platformAccounts(first: $first, after: $after) {\n      items {\n        id\n        username\n        tenant\n        enabled\n        maxVins\n        framesPerSecond\n      }\n      nextCursor\n    }\n  }\n": types.PlatformAccountsDocument,
    "\n  mutation CreatePlatformAccount($username: String!, $password: String!, $tenant: String, $maxVins: Int, $framesPerSecond: Float) {\n    createPlatformAccount(username: $username, password: $password, tenant: $tenant, maxVins: $maxVins, framesPerSecond: $framesPerSecond) {\n      id\n    }\n  }\n": types.CreatePlatformAccountDocument,
    "\n  query PlatformHealth {\n    platformHealth {\n      tenants\n      activeTenants\n      suspendedTenants\n      vehicles\n      gateways {\n        gateway\n        reportAgeS\n        connections\n        spoolRecords\n      }\n      ingest {\n        tenant\n        connectedVehicles\n        framesPerSecond\n        commitLagS\n        newestCommitAgeS\n      }\n    }\n    tenants(first: 100) {\n      items {\n        slug\n        name\n        status\n        vehicleCount\n        quotas {\n          vehicles\n        }\n      }\n      nextCursor\n    }\n  }\n": types.PlatformHealthDocument,
    "\n  query Registry($filter: VehicleFilterInput, $first: Int!, $after: String) {\n    vehicles(filter: $filter, first: $first, after: $after) {\n      items {\n        vin\n        usageType\n        modelId\n        saleDate\n        productionBatch\n        batteryPackLot\n        createdAt\n        model {\n          id\n          name\n        }\n      }\n      nextCursor\n    }\n  }\n": types.RegistryDocument,
    "\n  mutation CreateVehicle($vehicle: VehicleInput!) {\n    createVehicle(vehicle: $vehicle) {\n      vin\n    }\n  }\n": types.CreateVehicleDocument,
    "\n  mutation CreateVehicleModel($model: VehicleModelInput!) {\n    createVehicleModel(model: $model) {\n      id\n      name\n    }\n  }\n": types.CreateVehicleModelDocument,
    "\n  query RegistryModels {\n    vehicleModels {\n      id\n      name\n      maker\n      batteryChemistry\n      cellCount\n      probeCount\n      ratedCapacityKwh\n      batterySupplier\n      motorSupplier\n      updatedAt\n    }\n  }\n": types.RegistryModelsDocument,
    "\n  mutation UpdateVehicle($vin: String!, $changes: VehicleChangesInput!) {\n    updateVehicle(vin: $vin, changes: $changes) {\n      vin\n    }\n  }\n": types.UpdateVehicleDocument,
    "\n  mutation UpdateVehicleModel($id: Int!, $changes: VehicleModelChangesInput!) {\n    updateVehicleModel(id: $id, changes: $changes) {\n      id\n      name\n    }\n  }\n": types.UpdateVehicleModelDocument,
    "\n  query VehicleModels {\n    vehicleModels {\n      id\n      name\n      maker\n      batteryChemistry\n      cellCount\n      probeCount\n      ratedCapacityKwh\n    }\n  }\n": types.VehicleModelsDocument,
    "\n  query VehicleList($filter: VehicleFilterInput, $orderBy: VehicleOrderInput, $first: Int!, $after: String) {\n    vehicles(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      items {\n        vin\n        usageType\n        model {\n          id\n          name\n        }\n        latestState {\n          online\n          lastFrameAt\n          socPct\n          speedKmh\n          alarmLevel\n          driving\n          charging\n        }\n      }\n      nextCursor\n    }\n  }\n": types.VehicleListDocument,
    "\n  query Vehicle($vin: String!) {\n    vehicle(vin: $vin) {\n      vin\n      usageType\n      saleDate\n      productionBatch\n      batteryPackLot\n      createdAt\n      model {\n        id\n        name\n        maker\n        batteryChemistry\n        cellCount\n        probeCount\n        ratedCapacityKwh\n      }\n      latestState {\n        online\n        linkUp\n        lastFrameAt\n        lastCollectedAt\n        longitudeDeg\n        latitudeDeg\n        vehicleState\n        chargingState\n        socPct\n        speedKmh\n        alarmLevel\n        driving\n        charging\n        alarming\n      }\n    }\n  }\n": types.VehicleDocument,
    "\n  subscription VehicleLive($vin: String!) {\n    vehicleLive(vin: $vin) {\n      vin\n      online\n      lastFrameAt\n      collectedAt\n      receivedAt\n      socPct\n      speedKmh\n      alarmLevel\n      chargingState\n      longitudeDeg\n      latitudeDeg\n      positionValid\n    }\n  }\n": types.VehicleLiveDocument,
    "\n  query VehicleLatestRecord($vin: String!) {\n    vehicle(vin: $vin) {\n      vin\n      latestRecord {\n        collectedAt\n        receivedAt\n        edition\n        vehicleState\n        runningMode\n        odometerKm\n        totalVoltageV\n        totalCurrentA\n        dcdcState\n        gear {\n          position\n          drivingForce\n          brakingForce\n        }\n        insulationKohm\n        acceleratorPct\n        brakePct\n        maxCellVoltageMv\n        minCellVoltageMv\n        maxTemperatureC\n        minTemperatureC\n        cellCount\n        probeCount\n        sentinels\n      }\n    }\n  }\n": types.VehicleLatestRecordDocument,
    "\n  query VehicleHistory($vin: String!, $signals: [String!]!, $from: DateTime!, $to: DateTime!, $points: Int) {\n    vehicle(vin: $vin) {\n      vin\n      history(signals: $signals, from: $from, to: $to, points: $points, aggregates: [AVG, MIN, MAX]) {\n        times\n        source\n        bucketSeconds\n        series {\n          signal\n          values\n          avg\n          min\n          max\n        }\n      }\n    }\n  }\n": types.VehicleHistoryDocument,
    "\n  query BatteryMatrix($vin: String!, $kind: MatrixKind!, $from: DateTime!, $to: DateTime!, $points: Int) {\n    vehicle(vin: $vin) {\n      vin\n      batteryMatrix(kind: $kind, from: $from, to: $to, points: $points) {\n        times\n        columns\n        bucketSeconds\n        values\n        avg\n      }\n    }\n  }\n": types.BatteryMatrixDocument,
    "\n  query RawFrames($vin: String!, $from: DateTime!, $to: DateTime!, $first: Int!, $after: String) {\n    vehicle(vin: $vin) {\n      vin\n      rawFrames(from: $from, to: $to, first: $first, after: $after) {\n        items {\n          receivedAt\n          collectedAt\n          command\n          edition\n          hex\n          frameHash\n          encrypted\n          decodeError {\n            code\n            message\n            offset\n          }\n          records {\n            collectedAt\n            values\n          }\n        }\n        nextCursor\n      }\n    }\n  }\n": types.RawFramesDocument,
    "\n  query Sessions($vin: String!, $from: DateTime!, $to: DateTime!) {\n    vehicle(vin: $vin) {\n      vin\n      sessions(from: $from, to: $to) {\n        start\n        end\n        startedBy\n        endReason\n      }\n    }\n  }\n": types.SessionsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      subject\n      role\n      tenant\n      permissions\n      email\n      displayName\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      subject\n      role\n      tenant\n      permissions\n      email\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($first: Int!, $after: String) {\n    users(first: $first, after: $after) {\n      items {\n        id\n        email\n        displayName\n        role\n        disabled\n        totpEnrolled\n        lockedUntil\n        createdAt\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query Users($first: Int!, $after: String) {\n    users(first: $first, after: $after) {\n      items {\n        id\n        email\n        displayName\n        role\n        disabled\n        totpEnrolled\n        lockedUntil\n        createdAt\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserRole($userId: Int!, $role: Role!) {\n    setUserRole(userId: $userId, role: $role) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation SetUserRole($userId: Int!, $role: Role!) {\n    setUserRole(userId: $userId, role: $role) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserDisabled($userId: Int!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) {\n      id\n      disabled\n    }\n  }\n"): (typeof documents)["\n  mutation SetUserDisabled($userId: Int!, $disabled: Boolean!) {\n    setUserDisabled(userId: $userId, disabled: $disabled) {\n      id\n      disabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invitations($first: Int!, $after: String) {\n    invitations(first: $first, after: $after) {\n      items {\n        id\n        email\n        role\n        expiresAt\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query Invitations($first: Int!, $after: String) {\n    invitations(first: $first, after: $after) {\n      items {\n        id\n        email\n        role\n        expiresAt\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteUser($email: String!, $role: Role!) {\n    inviteUser(email: $email, role: $role) {\n      invitation {\n        id\n        email\n        role\n        expiresAt\n      }\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation InviteUser($email: String!, $role: Role!) {\n    inviteUser(email: $email, role: $role) {\n      invitation {\n        id\n        email\n        role\n        expiresAt\n      }\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($invitationId: Int!) {\n    revokeInvitation(invitationId: $invitationId)\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($invitationId: Int!) {\n    revokeInvitation(invitationId: $invitationId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Roles {\n    roles {\n      role\n      permissions\n    }\n  }\n"): (typeof documents)["\n  query Roles {\n    roles {\n      role\n      permissions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiClients($first: Int!, $after: String) {\n    apiClients(first: $first, after: $after) {\n      items {\n        clientId\n        name\n        scopes\n        enabled\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query ApiClients($first: Int!, $after: String) {\n    apiClients(first: $first, after: $after) {\n      items {\n        clientId\n        name\n        scopes\n        enabled\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiClient($name: String!, $scopes: [String!]!) {\n    createApiClient(name: $name, scopes: $scopes) {\n      client {\n        clientId\n        name\n        scopes\n        enabled\n      }\n      clientSecret\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiClient($name: String!, $scopes: [String!]!) {\n    createApiClient(name: $name, scopes: $scopes) {\n      client {\n        clientId\n        name\n        scopes\n        enabled\n      }\n      clientSecret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetApiClientEnabled($clientId: String!, $enabled: Boolean!) {\n    setApiClientEnabled(clientId: $clientId, enabled: $enabled)\n  }\n"): (typeof documents)["\n  mutation SetApiClientEnabled($clientId: String!, $enabled: Boolean!) {\n    setApiClientEnabled(clientId: $clientId, enabled: $enabled)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SupportGrants {\n    supportGrants {\n      id\n      granteeEmail\n      grantedByEmail\n      reason\n      createdAt\n      expiresAt\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query SupportGrants {\n    supportGrants {\n      id\n      granteeEmail\n      grantedByEmail\n      reason\n      createdAt\n      expiresAt\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GrantSupport($email: String!, $reason: String!, $hours: Int!) {\n    grantSupport(email: $email, reason: $reason, hours: $hours) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation GrantSupport($email: String!, $reason: String!, $hours: Int!) {\n    grantSupport(email: $email, reason: $reason, hours: $hours) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSupport($grantId: Int!) {\n    revokeSupport(grantId: $grantId)\n  }\n"): (typeof documents)["\n  mutation RevokeSupport($grantId: Int!) {\n    revokeSupport(grantId: $grantId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlarmHandlingSettings {\n    alarmHandlingSettings {\n      policies {\n        level\n        channels\n        openCase\n      }\n      confirmMinutes\n      disposeWorkingDays\n      escalationRepeatMinutes\n      maxEscalations\n      weekdays\n      holidays\n      extraWorkdays\n      timeZone\n    }\n  }\n"): (typeof documents)["\n  query AlarmHandlingSettings {\n    alarmHandlingSettings {\n      policies {\n        level\n        channels\n        openCase\n      }\n      confirmMinutes\n      disposeWorkingDays\n      escalationRepeatMinutes\n      maxEscalations\n      weekdays\n      holidays\n      extraWorkdays\n      timeZone\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAlarmHandling($settings: AlarmHandlingInput!) {\n    updateAlarmHandling(settings: $settings) {\n      confirmMinutes\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAlarmHandling($settings: AlarmHandlingInput!) {\n    updateAlarmHandling(settings: $settings) {\n      confirmMinutes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DutyRota {\n    dutyRota {\n      people {\n        key\n        name\n        email\n        phone\n      }\n      shifts {\n        weekday\n        start\n        end\n        people\n      }\n      overrides {\n        start\n        end\n        people\n      }\n      escalation\n      timeZone\n      gaps {\n        startMinute\n        endMinute\n      }\n      onDutyNow {\n        key\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query DutyRota {\n    dutyRota {\n      people {\n        key\n        name\n        email\n        phone\n      }\n      shifts {\n        weekday\n        start\n        end\n        people\n      }\n      overrides {\n        start\n        end\n        people\n      }\n      escalation\n      timeZone\n      gaps {\n        startMinute\n        endMinute\n      }\n      onDutyNow {\n        key\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateDutyRota($rota: DutyRotaInput!) {\n    updateDutyRota(rota: $rota) {\n      timeZone\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateDutyRota($rota: DutyRotaInput!) {\n    updateDutyRota(rota: $rota) {\n      timeZone\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationChannels {\n    notificationChannels {\n      kind\n      enabled\n      target\n      smtpPort\n      smtpSecurity\n      smtpUsername\n      sender\n      secretSet\n      updatedBy\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  query NotificationChannels {\n    notificationChannels {\n      kind\n      enabled\n      target\n      smtpPort\n      smtpSecurity\n      smtpUsername\n      sender\n      secretSet\n      updatedBy\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PutNotificationChannel($channel: NotificationChannelInput!) {\n    putNotificationChannel(channel: $channel) {\n      kind\n    }\n  }\n"): (typeof documents)["\n  mutation PutNotificationChannel($channel: NotificationChannelInput!) {\n    putNotificationChannel(channel: $channel) {\n      kind\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveNotificationChannel($kind: NotificationChannelKind!) {\n    removeNotificationChannel(kind: $kind)\n  }\n"): (typeof documents)["\n  mutation RemoveNotificationChannel($kind: NotificationChannelKind!) {\n    removeNotificationChannel(kind: $kind)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlarmCaseFields on AlarmCase {\n    id\n    eventId\n    vin\n    source\n    code\n    nameZh\n    nameEn\n    level\n    state\n    alarmOpen\n    openedAt\n    confirmDue\n    disposeDue\n    acknowledgedAt\n    acknowledgedBy\n    assignee\n    assignedAt\n    disposedAt\n    disposedBy\n    disposition\n    escalations\n    disposeEscalated\n    reopenCount\n    confirmBreached\n    disposeBreached\n  }\n"): (typeof documents)["\n  fragment AlarmCaseFields on AlarmCase {\n    id\n    eventId\n    vin\n    source\n    code\n    nameZh\n    nameEn\n    level\n    state\n    alarmOpen\n    openedAt\n    confirmDue\n    disposeDue\n    acknowledgedAt\n    acknowledgedBy\n    assignee\n    assignedAt\n    disposedAt\n    disposedBy\n    disposition\n    escalations\n    disposeEscalated\n    reopenCount\n    confirmBreached\n    disposeBreached\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlarmCases($filter: AlarmCaseFilterInput, $first: Int, $after: String) {\n    alarmCases(filter: $filter, first: $first, after: $after) {\n      items {\n        ...AlarmCaseFields\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query AlarmCases($filter: AlarmCaseFilterInput, $first: Int, $after: String) {\n    alarmCases(filter: $filter, first: $first, after: $after) {\n      items {\n        ...AlarmCaseFields\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlarmCase($caseId: ID!) {\n    alarmCase(caseId: $caseId) {\n      case {\n        ...AlarmCaseFields\n      }\n      steps {\n        kind\n        actor\n        at\n        comment\n        assignee\n        disposition\n      }\n      evidence {\n        id\n        fileName\n        addedBy\n        addedAt\n        downloadUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlarmCase($caseId: ID!) {\n    alarmCase(caseId: $caseId) {\n      case {\n        ...AlarmCaseFields\n      }\n      steps {\n        kind\n        actor\n        at\n        comment\n        assignee\n        disposition\n      }\n      evidence {\n        id\n        fileName\n        addedBy\n        addedAt\n        downloadUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlarmCase($caseId: ID!, $comment: String) {\n    acknowledgeAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlarmCase($caseId: ID!, $comment: String) {\n    acknowledgeAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignAlarmCase($caseId: ID!, $assignee: String!, $comment: String) {\n    assignAlarmCase(caseId: $caseId, assignee: $assignee, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AssignAlarmCase($caseId: ID!, $assignee: String!, $comment: String) {\n    assignAlarmCase(caseId: $caseId, assignee: $assignee, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CommentAlarmCase($caseId: ID!, $comment: String!) {\n    commentAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CommentAlarmCase($caseId: ID!, $comment: String!) {\n    commentAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisposeAlarmCase($caseId: ID!, $disposition: AlarmDisposition!, $comment: String) {\n    disposeAlarmCase(caseId: $caseId, disposition: $disposition, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DisposeAlarmCase($caseId: ID!, $disposition: AlarmDisposition!, $comment: String) {\n    disposeAlarmCase(caseId: $caseId, disposition: $disposition, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReopenAlarmCase($caseId: ID!, $comment: String!) {\n    reopenAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReopenAlarmCase($caseId: ID!, $comment: String!) {\n    reopenAlarmCase(caseId: $caseId, comment: $comment) {\n      case {\n        ...AlarmCaseFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlarmStatistics($from: DateTime!, $to: DateTime!) {\n    alarmStatistics(from: $from, to: $to) {\n      byLevel {\n        level\n        count\n      }\n      byType(limit: 10) {\n        source\n        code\n        nameZh\n        nameEn\n        count\n      }\n      byDay {\n        day\n        count\n      }\n      topVehicles(limit: 10) {\n        vin\n        count\n        peakLevel\n        lastOpenedAt\n      }\n      timeToAcknowledge {\n        count\n        meanSeconds\n        p50Seconds\n        p90Seconds\n      }\n      timeToDispose {\n        count\n        meanSeconds\n        p50Seconds\n        p90Seconds\n      }\n      slaBreaches {\n        cases\n        openCases\n        confirmBreached\n        disposeBreached\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlarmStatistics($from: DateTime!, $to: DateTime!) {\n    alarmStatistics(from: $from, to: $to) {\n      byLevel {\n        level\n        count\n      }\n      byType(limit: 10) {\n        source\n        code\n        nameZh\n        nameEn\n        count\n      }\n      byDay {\n        day\n        count\n      }\n      topVehicles(limit: 10) {\n        vin\n        count\n        peakLevel\n        lastOpenedAt\n      }\n      timeToAcknowledge {\n        count\n        meanSeconds\n        p50Seconds\n        p90Seconds\n      }\n      timeToDispose {\n        count\n        meanSeconds\n        p50Seconds\n        p90Seconds\n      }\n      slaBreaches {\n        cases\n        openCases\n        confirmBreached\n        disposeBreached\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveAlarms {\n    alarmEvents {\n      kind\n      change\n      eventId\n      caseId\n      vin\n      level\n      state\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription LiveAlarms {\n    alarmEvents {\n      kind\n      change\n      eventId\n      caseId\n      vin\n      level\n      state\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlarmEvents($filter: AlarmEventFilterInput, $first: Int, $after: String) {\n    alarmEvents(filter: $filter, first: $first, after: $after) {\n      items {\n        id\n        vin\n        source\n        code\n        nameZh\n        nameEn\n        state\n        level\n        peakLevel\n        emergency\n        openedAt\n        lastSeenAt\n        closedAt\n        frameCount\n        reopenCount\n        flapping\n        historical\n        faultCodes\n        complianceFlags {\n          kind\n          detectedAt\n          details\n        }\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query AlarmEvents($filter: AlarmEventFilterInput, $first: Int, $after: String) {\n    alarmEvents(filter: $filter, first: $first, after: $after) {\n      items {\n        id\n        vin\n        source\n        code\n        nameZh\n        nameEn\n        state\n        level\n        peakLevel\n        emergency\n        openedAt\n        lastSeenAt\n        closedAt\n        frameCount\n        reopenCount\n        flapping\n        historical\n        faultCodes\n        complianceFlags {\n          kind\n          detectedAt\n          details\n        }\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlarmRules($modelId: Int) {\n    alarmRules(modelId: $modelId) {\n      code\n      modelId\n      nameZh\n      nameEn\n      unit\n      threshold\n      level\n      enabled\n      defaultThreshold\n      defaultLevel\n      overridden\n    }\n  }\n"): (typeof documents)["\n  query AlarmRules($modelId: Int) {\n    alarmRules(modelId: $modelId) {\n      code\n      modelId\n      nameZh\n      nameEn\n      unit\n      threshold\n      level\n      enabled\n      defaultThreshold\n      defaultLevel\n      overridden\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAlarmRule($rule: AlarmRuleInput!) {\n    updateAlarmRule(rule: $rule) {\n      code\n      modelId\n      threshold\n      level\n      enabled\n      overridden\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAlarmRule($rule: AlarmRuleInput!) {\n    updateAlarmRule(rule: $rule) {\n      code\n      modelId\n      threshold\n      level\n      enabled\n      overridden\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEntryFields on AuditEntryNode {\n    seq\n    at\n    actorKind\n    actorId\n    actorTenant\n    role\n    tenant\n    operation\n    result\n    targets\n    ip\n    userAgent\n    requestId\n    details\n    hash\n  }\n"): (typeof documents)["\n  fragment AuditEntryFields on AuditEntryNode {\n    seq\n    at\n    actorKind\n    actorId\n    actorTenant\n    role\n    tenant\n    operation\n    result\n    targets\n    ip\n    userAgent\n    requestId\n    details\n    hash\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SecurityAlertFields on SecurityAlertNode {\n    id\n    kind\n    tenant\n    subject\n    firstSeen\n    lastSeen\n    count\n    details\n    acknowledged\n    acknowledgedBy\n  }\n"): (typeof documents)["\n  fragment SecurityAlertFields on SecurityAlertNode {\n    id\n    kind\n    tenant\n    subject\n    firstSeen\n    lastSeen\n    count\n    details\n    acknowledged\n    acknowledgedBy\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {\n    auditLog(where: $where, first: $first, before: $before) {\n      items {\n        ...AuditEntryFields\n      }\n      nextBefore\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {\n    auditLog(where: $where, first: $first, before: $before) {\n      items {\n        ...AuditEntryFields\n      }\n      nextBefore\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlatformAuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {\n    platformAuditLog(where: $where, first: $first, before: $before) {\n      items {\n        ...AuditEntryFields\n      }\n      nextBefore\n    }\n  }\n"): (typeof documents)["\n  query PlatformAuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {\n    platformAuditLog(where: $where, first: $first, before: $before) {\n      items {\n        ...AuditEntryFields\n      }\n      nextBefore\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityAlerts($includeAcknowledged: Boolean!) {\n    securityAlerts(includeAcknowledged: $includeAcknowledged) {\n      ...SecurityAlertFields\n    }\n  }\n"): (typeof documents)["\n  query SecurityAlerts($includeAcknowledged: Boolean!) {\n    securityAlerts(includeAcknowledged: $includeAcknowledged) {\n      ...SecurityAlertFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlatformSecurityAlerts($includeAcknowledged: Boolean!) {\n    platformSecurityAlerts(includeAcknowledged: $includeAcknowledged) {\n      ...SecurityAlertFields\n    }\n  }\n"): (typeof documents)["\n  query PlatformSecurityAlerts($includeAcknowledged: Boolean!) {\n    platformSecurityAlerts(includeAcknowledged: $includeAcknowledged) {\n      ...SecurityAlertFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeSecurityAlert($alertId: Int!) {\n    acknowledgeSecurityAlert(alertId: $alertId) {\n      id\n      acknowledged\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeSecurityAlert($alertId: Int!) {\n    acknowledgeSecurityAlert(alertId: $alertId) {\n      id\n      acknowledged\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgePlatformSecurityAlert($alertId: Int!) {\n    acknowledgePlatformSecurityAlert(alertId: $alertId) {\n      id\n      acknowledged\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgePlatformSecurityAlert($alertId: Int!) {\n    acknowledgePlatformSecurityAlert(alertId: $alertId) {\n      id\n      acknowledged\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FleetOverview {\n    fleetOverview {\n      at\n      counts {\n        total\n        online\n        offline\n        neverConnected\n        driving\n        charging\n        alarming\n      }\n      byModel {\n        modelId\n        model {\n          name\n        }\n        counts {\n          total\n          online\n          driving\n          charging\n          alarming\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FleetOverview {\n    fleetOverview {\n      at\n      counts {\n        total\n        online\n        offline\n        neverConnected\n        driving\n        charging\n        alarming\n      }\n      byModel {\n        modelId\n        model {\n          name\n        }\n        counts {\n          total\n          online\n          driving\n          charging\n          alarming\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FleetPositions($first: Int!, $after: String) {\n    vehicles(first: $first, after: $after) {\n      items {\n        vin\n        latestState {\n          online\n          lastFrameAt\n          longitudeDeg\n          latitudeDeg\n          alarmLevel\n          driving\n          charging\n        }\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query FleetPositions($first: Int!, $after: String) {\n    vehicles(first: $first, after: $after) {\n      items {\n        vin\n        latestState {\n          online\n          lastFrameAt\n          longitudeDeg\n          latitudeDeg\n          alarmLevel\n          driving\n          charging\n        }\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FleetEvents {\n    fleetEvents {\n      vin\n      kind\n      at\n      online\n    }\n  }\n"): (typeof documents)["\n  subscription FleetEvents {\n    fleetEvents {\n      vin\n      kind\n      at\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentFleetEvents($limit: Int) {\n    recentFleetEvents(limit: $limit) {\n      vin\n      kind\n      at\n      online\n    }\n  }\n"): (typeof documents)["\n  query RecentFleetEvents($limit: Int) {\n    recentFleetEvents(limit: $limit) {\n      vin\n      kind\n      at\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tenants($first: Int!, $after: String) {\n    tenants(first: $first, after: $after) {\n      items {\n        slug\n        name\n        status\n        createdAt\n        vehicleCount\n        quotas {\n          vehicles\n          storageGb\n          apiRequestsPerMinute\n        }\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query Tenants($first: Int!, $after: String) {\n    tenants(first: $first, after: $after) {\n      items {\n        slug\n        name\n        status\n        createdAt\n        vehicleCount\n        quotas {\n          vehicles\n          storageGb\n          apiRequestsPerMinute\n        }\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTenant($slug: String!, $name: String!, $quotas: QuotasInput) {\n    createTenant(slug: $slug, name: $name, quotas: $quotas) {\n      slug\n    }\n  }\n"): (typeof documents)["\n  mutation CreateTenant($slug: String!, $name: String!, $quotas: QuotasInput) {\n    createTenant(slug: $slug, name: $name, quotas: $quotas) {\n      slug\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SuspendTenant($slug: String!) {\n    suspendTenant(slug: $slug) {\n      slug\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SuspendTenant($slug: String!) {\n    suspendTenant(slug: $slug) {\n      slug\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeTenant($slug: String!) {\n    resumeTenant(slug: $slug) {\n      slug\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeTenant($slug: String!) {\n    resumeTenant(slug: $slug) {\n      slug\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTenantQuotas($slug: String!, $quotas: QuotasInput!) {\n    setTenantQuotas(slug: $slug, quotas: $quotas) {\n      slug\n      quotas {\n        vehicles\n        storageGb\n        apiRequestsPerMinute\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetTenantQuotas($slug: String!, $quotas: QuotasInput!) {\n    setTenantQuotas(slug: $slug, quotas: $quotas) {\n      slug\n      quotas {\n        vehicles\n        storageGb\n        apiRequestsPerMinute\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteTenantAdmin($tenant: String!, $email: String!) {\n    inviteTenantAdmin(tenant: $tenant, email: $email) {\n      email\n      tenant\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation InviteTenantAdmin($tenant: String!, $email: String!) {\n    inviteTenantAdmin(tenant: $tenant, email: $email) {\n      email\n      tenant\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlatformAccounts($first: Int!, $after: String) {\n    platformAccounts(first: $first, after: $after) {\n      items {\n        id\n        username\n        tenant\n        enabled\n        maxVins\n        framesPerSecond\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query PlatformAccounts($first: Int!, $after: String) {\n    platformAccounts(first: $first, after: $after) {\n      items {\n        id\n        username\n        tenant\n        enabled\n        maxVins\n        framesPerSecond\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePlatformAccount($username: String!, $password: String!, $tenant: String, $maxVins: Int, $framesPerSecond: Float) {\n    createPlatformAccount(username: $username, password: $password, tenant: $tenant, maxVins: $maxVins, framesPerSecond: $framesPerSecond) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePlatformAccount($username: String!, $password: String!, $tenant: String, $maxVins: Int, $framesPerSecond: Float) {\n    createPlatformAccount(username: $username, password: $password, tenant: $tenant, maxVins: $maxVins, framesPerSecond: $framesPerSecond) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlatformHealth {\n    platformHealth {\n      tenants\n      activeTenants\n      suspendedTenants\n      vehicles\n      gateways {\n        gateway\n        reportAgeS\n        connections\n        spoolRecords\n      }\n      ingest {\n        tenant\n        connectedVehicles\n        framesPerSecond\n        commitLagS\n        newestCommitAgeS\n      }\n    }\n    tenants(first: 100) {\n      items {\n        slug\n        name\n        status\n        vehicleCount\n        quotas {\n          vehicles\n        }\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query PlatformHealth {\n    platformHealth {\n      tenants\n      activeTenants\n      suspendedTenants\n      vehicles\n      gateways {\n        gateway\n        reportAgeS\n        connections\n        spoolRecords\n      }\n      ingest {\n        tenant\n        connectedVehicles\n        framesPerSecond\n        commitLagS\n        newestCommitAgeS\n      }\n    }\n    tenants(first: 100) {\n      items {\n        slug\n        name\n        status\n        vehicleCount\n        quotas {\n          vehicles\n        }\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Registry($filter: VehicleFilterInput, $first: Int!, $after: String) {\n    vehicles(filter: $filter, first: $first, after: $after) {\n      items {\n        vin\n        usageType\n        modelId\n        saleDate\n        productionBatch\n        batteryPackLot\n        createdAt\n        model {\n          id\n          name\n        }\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query Registry($filter: VehicleFilterInput, $first: Int!, $after: String) {\n    vehicles(filter: $filter, first: $first, after: $after) {\n      items {\n        vin\n        usageType\n        modelId\n        saleDate\n        productionBatch\n        batteryPackLot\n        createdAt\n        model {\n          id\n          name\n        }\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVehicle($vehicle: VehicleInput!) {\n    createVehicle(vehicle: $vehicle) {\n      vin\n    }\n  }\n"): (typeof documents)["\n  mutation CreateVehicle($vehicle: VehicleInput!) {\n    createVehicle(vehicle: $vehicle) {\n      vin\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVehicleModel($model: VehicleModelInput!) {\n    createVehicleModel(model: $model) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateVehicleModel($model: VehicleModelInput!) {\n    createVehicleModel(model: $model) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RegistryModels {\n    vehicleModels {\n      id\n      name\n      maker\n      batteryChemistry\n      cellCount\n      probeCount\n      ratedCapacityKwh\n      batterySupplier\n      motorSupplier\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  query RegistryModels {\n    vehicleModels {\n      id\n      name\n      maker\n      batteryChemistry\n      cellCount\n      probeCount\n      ratedCapacityKwh\n      batterySupplier\n      motorSupplier\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateVehicle($vin: String!, $changes: VehicleChangesInput!) {\n    updateVehicle(vin: $vin, changes: $changes) {\n      vin\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateVehicle($vin: String!, $changes: VehicleChangesInput!) {\n    updateVehicle(vin: $vin, changes: $changes) {\n      vin\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateVehicleModel($id: Int!, $changes: VehicleModelChangesInput!) {\n    updateVehicleModel(id: $id, changes: $changes) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateVehicleModel($id: Int!, $changes: VehicleModelChangesInput!) {\n    updateVehicleModel(id: $id, changes: $changes) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VehicleModels {\n    vehicleModels {\n      id\n      name\n      maker\n      batteryChemistry\n      cellCount\n      probeCount\n      ratedCapacityKwh\n    }\n  }\n"): (typeof documents)["\n  query VehicleModels {\n    vehicleModels {\n      id\n      name\n      maker\n      batteryChemistry\n      cellCount\n      probeCount\n      ratedCapacityKwh\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VehicleList($filter: VehicleFilterInput, $orderBy: VehicleOrderInput, $first: Int!, $after: String) {\n    vehicles(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      items {\n        vin\n        usageType\n        model {\n          id\n          name\n        }\n        latestState {\n          online\n          lastFrameAt\n          socPct\n          speedKmh\n          alarmLevel\n          driving\n          charging\n        }\n      }\n      nextCursor\n    }\n  }\n"): (typeof documents)["\n  query VehicleList($filter: VehicleFilterInput, $orderBy: VehicleOrderInput, $first: Int!, $after: String) {\n    vehicles(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      items {\n        vin\n        usageType\n        model {\n          id\n          name\n        }\n        latestState {\n          online\n          lastFrameAt\n          socPct\n          speedKmh\n          alarmLevel\n          driving\n          charging\n        }\n      }\n      nextCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Vehicle($vin: String!) {\n    vehicle(vin: $vin) {\n      vin\n      usageType\n      saleDate\n      productionBatch\n      batteryPackLot\n      createdAt\n      model {\n        id\n        name\n        maker\n        batteryChemistry\n        cellCount\n        probeCount\n        ratedCapacityKwh\n      }\n      latestState {\n        online\n        linkUp\n        lastFrameAt\n        lastCollectedAt\n        longitudeDeg\n        latitudeDeg\n        vehicleState\n        chargingState\n        socPct\n        speedKmh\n        alarmLevel\n        driving\n        charging\n        alarming\n      }\n    }\n  }\n"): (typeof documents)["\n  query Vehicle($vin: String!) {\n    vehicle(vin: $vin) {\n      vin\n      usageType\n      saleDate\n      productionBatch\n      batteryPackLot\n      createdAt\n      model {\n        id\n        name\n        maker\n        batteryChemistry\n        cellCount\n        probeCount\n        ratedCapacityKwh\n      }\n      latestState {\n        online\n        linkUp\n        lastFrameAt\n        lastCollectedAt\n        longitudeDeg\n        latitudeDeg\n        vehicleState\n        chargingState\n        socPct\n        speedKmh\n        alarmLevel\n        driving\n        charging\n        alarming\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VehicleLive($vin: String!) {\n    vehicleLive(vin: $vin) {\n      vin\n      online\n      lastFrameAt\n      collectedAt\n      receivedAt\n      socPct\n      speedKmh\n      alarmLevel\n      chargingState\n      longitudeDeg\n      latitudeDeg\n      positionValid\n    }\n  }\n"): (typeof documents)["\n  subscription VehicleLive($vin: String!) {\n    vehicleLive(vin: $vin) {\n      vin\n      online\n      lastFrameAt\n      collectedAt\n      receivedAt\n      socPct\n      speedKmh\n      alarmLevel\n      chargingState\n      longitudeDeg\n      latitudeDeg\n      positionValid\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VehicleLatestRecord($vin: String!) {\n    vehicle(vin: $vin) {\n      vin\n      latestRecord {\n        collectedAt\n        receivedAt\n        edition\n        vehicleState\n        runningMode\n        odometerKm\n        totalVoltageV\n        totalCurrentA\n        dcdcState\n        gear {\n          position\n          drivingForce\n          brakingForce\n        }\n        insulationKohm\n        acceleratorPct\n        brakePct\n        maxCellVoltageMv\n        minCellVoltageMv\n        maxTemperatureC\n        minTemperatureC\n        cellCount\n        probeCount\n        sentinels\n      }\n    }\n  }\n"): (typeof documents)["\n  query VehicleLatestRecord($vin: String!) {\n    vehicle(vin: $vin) {\n      vin\n      latestRecord {\n        collectedAt\n        receivedAt\n        edition\n        vehicleState\n        runningMode\n        odometerKm\n        totalVoltageV\n        totalCurrentA\n        dcdcState\n        gear {\n          position\n          drivingForce\n          brakingForce\n        }\n        insulationKohm\n        acceleratorPct\n        brakePct\n        maxCellVoltageMv\n        minCellVoltageMv\n        maxTemperatureC\n        minTemperatureC\n        cellCount\n        probeCount\n        sentinels\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VehicleHistory($vin: String!, $signals: [String!]!, $from: DateTime!, $to: DateTime!, $points: Int) {\n    vehicle(vin: $vin) {\n      vin\n      history(signals: $signals, from: $from, to: $to, points: $points, aggregates: [AVG, MIN, MAX]) {\n        times\n        source\n        bucketSeconds\n        series {\n          signal\n          values\n          avg\n          min\n          max\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query VehicleHistory($vin: String!, $signals: [String!]!, $from: DateTime!, $to: DateTime!, $points: Int) {\n    vehicle(vin: $vin) {\n      vin\n      history(signals: $signals, from: $from, to: $to, points: $points, aggregates: [AVG, MIN, MAX]) {\n        times\n        source\n        bucketSeconds\n        series {\n          signal\n          values\n          avg\n          min\n          max\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BatteryMatrix($vin: String!, $kind: MatrixKind!, $from: DateTime!, $to: DateTime!, $points: Int) {\n    vehicle(vin: $vin) {\n      vin\n      batteryMatrix(kind: $kind, from: $from, to: $to, points: $points) {\n        times\n        columns\n        bucketSeconds\n        values\n        avg\n      }\n    }\n  }\n"): (typeof documents)["\n  query BatteryMatrix($vin: String!, $kind: MatrixKind!, $from: DateTime!, $to: DateTime!, $points: Int) {\n    vehicle(vin: $vin) {\n      vin\n      batteryMatrix(kind: $kind, from: $from, to: $to, points: $points) {\n        times\n        columns\n        bucketSeconds\n        values\n        avg\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RawFrames($vin: String!, $from: DateTime!, $to: DateTime!, $first: Int!, $after: String) {\n    vehicle(vin: $vin) {\n      vin\n      rawFrames(from: $from, to: $to, first: $first, after: $after) {\n        items {\n          receivedAt\n          collectedAt\n          command\n          edition\n          hex\n          frameHash\n          encrypted\n          decodeError {\n            code\n            message\n            offset\n          }\n          records {\n            collectedAt\n            values\n          }\n        }\n        nextCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query RawFrames($vin: String!, $from: DateTime!, $to: DateTime!, $first: Int!, $after: String) {\n    vehicle(vin: $vin) {\n      vin\n      rawFrames(from: $from, to: $to, first: $first, after: $after) {\n        items {\n          receivedAt\n          collectedAt\n          command\n          edition\n          hex\n          frameHash\n          encrypted\n          decodeError {\n            code\n            message\n            offset\n          }\n          records {\n            collectedAt\n            values\n          }\n        }\n        nextCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions($vin: String!, $from: DateTime!, $to: DateTime!) {\n    vehicle(vin: $vin) {\n      vin\n      sessions(from: $from, to: $to) {\n        start\n        end\n        startedBy\n        endReason\n      }\n    }\n  }\n"): (typeof documents)["\n  query Sessions($vin: String!, $from: DateTime!, $to: DateTime!) {\n    vehicle(vin: $vin) {\n      vin\n      sessions(from: $from, to: $to) {\n        start\n        end\n        startedBy\n        endReason\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;