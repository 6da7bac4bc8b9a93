import { graphql } from "../../gql";

export const AlarmEventsQuery = graphql(`
  query AlarmEvents($filter: AlarmEventFilterInput, $first: Int, $after: String) {
    alarmEvents(filter: $filter, first: $first, after: $after) {
      items {
        id
        vin
        source
        code
        nameZh
        nameEn
        state
        level
        peakLevel
        emergency
        openedAt
        lastSeenAt
        closedAt
        frameCount
        reopenCount
        flapping
        historical
        faultCodes
        complianceFlags {
          kind
          detectedAt
          details
        }
      }
      nextCursor
    }
  }
`);

export const AlarmRulesQuery = graphql(`
  query AlarmRules($modelId: Int) {
    alarmRules(modelId: $modelId) {
      code
      modelId
      nameZh
      nameEn
      unit
      threshold
      level
      enabled
      defaultThreshold
      defaultLevel
      overridden
    }
  }
`);

export const UpdateAlarmRuleMutation = graphql(`
  mutation UpdateAlarmRule($rule: AlarmRuleInput!) {
    updateAlarmRule(rule: $rule) {
      code
      modelId
      threshold
      level
      enabled
      overridden
    }
  }
`);
