import { graphql } from "../../gql";

export const FleetOverviewQuery = graphql(`
  query FleetOverview {
    fleetOverview {
      at
      counts {
        total
        online
        offline
        neverConnected
        driving
        charging
        alarming
      }
      byModel {
        modelId
        model {
          name
        }
        counts {
          total
          online
          driving
          charging
          alarming
        }
      }
    }
  }
`);

export const FleetPositionsQuery = graphql(`
  query FleetPositions($first: Int!, $after: String) {
    vehicles(first: $first, after: $after) {
      items {
        vin
        latestState {
          online
          lastFrameAt
          longitudeDeg
          latitudeDeg
          alarmLevel
          driving
          charging
        }
      }
      nextCursor
    }
  }
`);

export const FleetEventsSubscription = graphql(`
  subscription FleetEvents {
    fleetEvents {
      vin
      kind
      at
      online
    }
  }
`);

export const RecentFleetEventsQuery = graphql(`
  query RecentFleetEvents($limit: Int) {
    recentFleetEvents(limit: $limit) {
      vin
      kind
      at
      online
    }
  }
`);
