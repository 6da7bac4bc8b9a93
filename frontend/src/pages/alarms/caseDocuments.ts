import { graphql } from "../../gql";

export const AlarmCaseFields = graphql(`
  fragment AlarmCaseFields on AlarmCase {
    id
    eventId
    vin
    source
    code
    nameZh
    nameEn
    level
    state
    alarmOpen
    openedAt
    confirmDue
    disposeDue
    acknowledgedAt
    acknowledgedBy
    assignee
    assignedAt
    disposedAt
    disposedBy
    disposition
    escalations
    disposeEscalated
    reopenCount
    confirmBreached
    disposeBreached
  }
`);

export const AlarmCasesQuery = graphql(`
  query AlarmCases($filter: AlarmCaseFilterInput, $first: Int, $after: String) {
    alarmCases(filter: $filter, first: $first, after: $after) {
      items {
        ...AlarmCaseFields
      }
      nextCursor
    }
  }
`);

export const AlarmCaseQuery = graphql(`
  query AlarmCase($caseId: ID!) {
    alarmCase(caseId: $caseId) {
      case {
        ...AlarmCaseFields
      }
      steps {
        kind
        actor
        at
        comment
        assignee
        disposition
      }
      evidence {
        id
        fileName
        addedBy
        addedAt
        downloadUrl
      }
    }
  }
`);

export const AcknowledgeCaseMutation = graphql(`
  mutation AcknowledgeAlarmCase($caseId: ID!, $comment: String) {
    acknowledgeAlarmCase(caseId: $caseId, comment: $comment) {
      case {
        ...AlarmCaseFields
      }
    }
  }
`);

export const AssignCaseMutation = graphql(`
  mutation AssignAlarmCase($caseId: ID!, $assignee: String!, $comment: String) {
    assignAlarmCase(caseId: $caseId, assignee: $assignee, comment: $comment) {
      case {
        ...AlarmCaseFields
      }
    }
  }
`);

export const CommentCaseMutation = graphql(`
  mutation CommentAlarmCase($caseId: ID!, $comment: String!) {
    commentAlarmCase(caseId: $caseId, comment: $comment) {
      case {
        ...AlarmCaseFields
      }
    }
  }
`);

export const DisposeCaseMutation = graphql(`
  mutation DisposeAlarmCase($caseId: ID!, $disposition: AlarmDisposition!, $comment: String) {
    disposeAlarmCase(caseId: $caseId, disposition: $disposition, comment: $comment) {
      case {
        ...AlarmCaseFields
      }
    }
  }
`);

export const ReopenCaseMutation = graphql(`
  mutation ReopenAlarmCase($caseId: ID!, $comment: String!) {
    reopenAlarmCase(caseId: $caseId, comment: $comment) {
      case {
        ...AlarmCaseFields
      }
    }
  }
`);

export const AlarmStatisticsQuery = graphql(`
  query AlarmStatistics($from: DateTime!, $to: DateTime!) {
    alarmStatistics(from: $from, to: $to) {
      byLevel {
        level
        count
      }
      byType(limit: 10) {
        source
        code
        nameZh
        nameEn
        count
      }
      byDay {
        day
        count
      }
      topVehicles(limit: 10) {
        vin
        count
        peakLevel
        lastOpenedAt
      }
      timeToAcknowledge {
        count
        meanSeconds
        p50Seconds
        p90Seconds
      }
      timeToDispose {
        count
        meanSeconds
        p50Seconds
        p90Seconds
      }
      slaBreaches {
        cases
        openCases
        confirmBreached
        disposeBreached
      }
    }
  }
`);

export const LiveAlarmsSubscription = graphql(`
  subscription LiveAlarms {
    alarmEvents {
      kind
      change
      eventId
      caseId
      vin
      level
      state
      at
    }
  }
`);
