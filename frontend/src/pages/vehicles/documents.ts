import { graphql } from "../../gql";

export const VehicleModelsQuery = graphql(`
  query VehicleModels {
    vehicleModels {
      id
      name
      maker
      batteryChemistry
      cellCount
      probeCount
      ratedCapacityKwh
    }
  }
`);

export const VehicleListQuery = graphql(`
  query VehicleList($filter: VehicleFilterInput, $orderBy: VehicleOrderInput, $first: Int!, $after: String) {
    vehicles(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      items {
        vin
        usageType
        model {
          id
          name
        }
        latestState {
          online
          lastFrameAt
          socPct
          speedKmh
          alarmLevel
          driving
          charging
        }
      }
      nextCursor
    }
  }
`);

export const VehicleQuery = graphql(`
  query Vehicle($vin: String!) {
    vehicle(vin: $vin) {
      vin
      usageType
      saleDate
      productionBatch
      batteryPackLot
      createdAt
      model {
        id
        name
        maker
        batteryChemistry
        cellCount
        probeCount
        ratedCapacityKwh
      }
      latestState {
        online
        linkUp
        lastFrameAt
        lastCollectedAt
        longitudeDeg
        latitudeDeg
        vehicleState
        chargingState
        socPct
        speedKmh
        alarmLevel
        driving
        charging
        alarming
      }
    }
  }
`);

export const VehicleLiveSubscription = graphql(`
  subscription VehicleLive($vin: String!) {
    vehicleLive(vin: $vin) {
      vin
      online
      lastFrameAt
      collectedAt
      receivedAt
      socPct
      speedKmh
      alarmLevel
      chargingState
      longitudeDeg
      latitudeDeg
      positionValid
    }
  }
`);

export const VehicleLatestRecordQuery = graphql(`
  query VehicleLatestRecord($vin: String!) {
    vehicle(vin: $vin) {
      vin
      latestRecord {
        collectedAt
        receivedAt
        edition
        vehicleState
        runningMode
        odometerKm
        totalVoltageV
        totalCurrentA
        dcdcState
        gear {
          position
          drivingForce
          brakingForce
        }
        insulationKohm
        acceleratorPct
        brakePct
        maxCellVoltageMv
        minCellVoltageMv
        maxTemperatureC
        minTemperatureC
        cellCount
        probeCount
        sentinels
      }
    }
  }
`);

export const VehicleHistoryQuery = graphql(`
  query VehicleHistory($vin: String!, $signals: [String!]!, $from: DateTime!, $to: DateTime!, $points: Int) {
    vehicle(vin: $vin) {
      vin
      history(signals: $signals, from: $from, to: $to, points: $points, aggregates: [AVG, MIN, MAX]) {
        times
        source
        bucketSeconds
        series {
          signal
          values
          avg
          min
          max
        }
      }
    }
  }
`);

export const BatteryMatrixQuery = graphql(`
  query BatteryMatrix($vin: String!, $kind: MatrixKind!, $from: DateTime!, $to: DateTime!, $points: Int) {
    vehicle(vin: $vin) {
      vin
      batteryMatrix(kind: $kind, from: $from, to: $to, points: $points) {
        times
        columns
        bucketSeconds
        values
        avg
      }
    }
  }
`);

export const RawFramesQuery = graphql(`
  query RawFrames($vin: String!, $from: DateTime!, $to: DateTime!, $first: Int!, $after: String) {
    vehicle(vin: $vin) {
      vin
      rawFrames(from: $from, to: $to, first: $first, after: $after) {
        items {
          receivedAt
          collectedAt
          command
          edition
          hex
          frameHash
          encrypted
          decodeError {
            code
            message
            offset
          }
          records {
            collectedAt
            values
          }
        }
        nextCursor
      }
    }
  }
`);

export const SessionsQuery = graphql(`
  query Sessions($vin: String!, $from: DateTime!, $to: DateTime!) {
    vehicle(vin: $vin) {
      vin
      sessions(from: $from, to: $to) {
        start
        end
        startedBy
        endReason
      }
    }
  }
`);
