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

export const RegistryModelsQuery = graphql(`
  query RegistryModels {
    vehicleModels {
      id
      name
      maker
      batteryChemistry
      cellCount
      probeCount
      ratedCapacityKwh
      batterySupplier
      motorSupplier
      updatedAt
    }
  }
`);

export const UpdateVehicleMutation = graphql(`
  mutation UpdateVehicle($vin: String!, $changes: VehicleChangesInput!) {
    updateVehicle(vin: $vin, changes: $changes) {
      vin
    }
  }
`);

export const UpdateVehicleModelMutation = graphql(`
  mutation UpdateVehicleModel($id: Int!, $changes: VehicleModelChangesInput!) {
    updateVehicleModel(id: $id, changes: $changes) {
      id
      name
    }
  }
`);
