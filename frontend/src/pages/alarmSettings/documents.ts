import { graphql } from "../../gql";

export const HandlingSettingsQuery = graphql(`
  query AlarmHandlingSettings {
    alarmHandlingSettings {
      policies {
        level
        channels
        openCase
      }
      confirmMinutes
      disposeWorkingDays
      escalationRepeatMinutes
      maxEscalations
      weekdays
      holidays
      extraWorkdays
      timeZone
    }
  }
`);

export const UpdateHandlingMutation = graphql(`
  mutation UpdateAlarmHandling($settings: AlarmHandlingInput!) {
    updateAlarmHandling(settings: $settings) {
      confirmMinutes
    }
  }
`);

export const DutyRotaQuery = graphql(`
  query DutyRota {
    dutyRota {
      people {
        key
        name
        email
        phone
      }
      shifts {
        weekday
        start
        end
        people
      }
      overrides {
        start
        end
        people
      }
      escalation
      timeZone
      gaps {
        startMinute
        endMinute
      }
      onDutyNow {
        key
        name
      }
    }
  }
`);

export const UpdateDutyRotaMutation = graphql(`
  mutation UpdateDutyRota($rota: DutyRotaInput!) {
    updateDutyRota(rota: $rota) {
      timeZone
    }
  }
`);

export const NotificationChannelsQuery = graphql(`
  query NotificationChannels {
    notificationChannels {
      kind
      enabled
      target
      smtpPort
      smtpSecurity
      smtpUsername
      sender
      secretSet
      updatedBy
      updatedAt
    }
  }
`);

export const PutChannelMutation = graphql(`
  mutation PutNotificationChannel($channel: NotificationChannelInput!) {
    putNotificationChannel(channel: $channel) {
      kind
    }
  }
`);

export const RemoveChannelMutation = graphql(`
  mutation RemoveNotificationChannel($kind: NotificationChannelKind!) {
    removeNotificationChannel(kind: $kind)
  }
`);
