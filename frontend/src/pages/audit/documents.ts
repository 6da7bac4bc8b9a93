import { graphql } from "../../gql";

export const AuditEntryFields = graphql(`
  fragment AuditEntryFields on AuditEntryNode {
    seq
    at
    actorKind
    actorId
    actorTenant
    role
    tenant
    operation
    result
    targets
    ip
    userAgent
    requestId
    details
    hash
  }
`);

export const SecurityAlertFields = graphql(`
  fragment SecurityAlertFields on SecurityAlertNode {
    id
    kind
    tenant
    subject
    firstSeen
    lastSeen
    count
    details
    acknowledged
    acknowledgedBy
  }
`);

export const AuditLogQuery = graphql(`
  query AuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {
    auditLog(where: $where, first: $first, before: $before) {
      items {
        ...AuditEntryFields
      }
      nextBefore
    }
  }
`);

export const PlatformAuditLogQuery = graphql(`
  query PlatformAuditLog($where: AuditLogFilter, $first: Int!, $before: Int) {
    platformAuditLog(where: $where, first: $first, before: $before) {
      items {
        ...AuditEntryFields
      }
      nextBefore
    }
  }
`);

export const SecurityAlertsQuery = graphql(`
  query SecurityAlerts($includeAcknowledged: Boolean!) {
    securityAlerts(includeAcknowledged: $includeAcknowledged) {
      ...SecurityAlertFields
    }
  }
`);

export const PlatformSecurityAlertsQuery = graphql(`
  query PlatformSecurityAlerts($includeAcknowledged: Boolean!) {
    platformSecurityAlerts(includeAcknowledged: $includeAcknowledged) {
      ...SecurityAlertFields
    }
  }
`);

export const AcknowledgeSecurityAlertMutation = graphql(`
  mutation AcknowledgeSecurityAlert($alertId: Int!) {
    acknowledgeSecurityAlert(alertId: $alertId) {
      id
      acknowledged
    }
  }
`);

export const AcknowledgePlatformSecurityAlertMutation = graphql(`
  mutation AcknowledgePlatformSecurityAlert($alertId: Int!) {
    acknowledgePlatformSecurityAlert(alertId: $alertId) {
      id
      acknowledged
    }
  }
`);
