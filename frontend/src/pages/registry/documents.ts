import { graphql } from "../../gql";

export const RegistryQuery = graphql(`
  query Registry($filter: VehicleFilterInput, $first: Int!, $after: String) {
    vehicles(filter: $filter, first: $first, after: $after) {
      items {
        vin
        usageType
        modelId
        saleDate
        productionBatch
        batteryPackLot
        createdAt
        model {
          id
          name
        }
      }
      nextCursor
    }
  }
`);

export const CreateVehicleMutation = graphql(`
  mutation CreateVehicle($vehicle: VehicleInput!) {
    createVehicle(vehicle: $vehicle) {
      vin
    }
  }
`);

export const CreateVehicleModelMutation = graphql(`
  mutation CreateVehicleModel($model: VehicleModelInput!) {
    createVehicleModel(model: $model) {
      id
      name
    }
  }
`);

export const ImportVehiclesMutation = graphql(`
  mutation ImportVehicles($csv: String!, $dryRun: Boolean!) {
    importVehicles(csv: $csv, dryRun: $dryRun) {
      total
      created
      updated
      dryRun
      errors {
        row
        field
        code
        detail
      }
    }
  }
`);
