import { graphql } from "../../gql";

export const TenantsQuery = graphql(`
  query Tenants($first: Int!, $after: String) {
    tenants(first: $first, after: $after) {
      items {
        slug
        name
        status
        createdAt
        vehicleCount
        quotas {
          vehicles
          storageGb
          apiRequestsPerMinute
        }
      }
      nextCursor
    }
  }
`);

export const CreateTenantMutation = graphql(`
  mutation CreateTenant($slug: String!, $name: String!, $quotas: QuotasInput) {
    createTenant(slug: $slug, name: $name, quotas: $quotas) {
      slug
    }
  }
`);

export const SuspendTenantMutation = graphql(`
  mutation SuspendTenant($slug: String!) {
    suspendTenant(slug: $slug) {
      slug
      status
    }
  }
`);

export const ResumeTenantMutation = graphql(`
  mutation ResumeTenant($slug: String!) {
    resumeTenant(slug: $slug) {
      slug
      status
    }
  }
`);

export const SetTenantQuotasMutation = graphql(`
  mutation SetTenantQuotas($slug: String!, $quotas: QuotasInput!) {
    setTenantQuotas(slug: $slug, quotas: $quotas) {
      slug
      quotas {
        vehicles
        storageGb
        apiRequestsPerMinute
      }
    }
  }
`);

export const InviteTenantAdminMutation = graphql(`
  mutation InviteTenantAdmin($tenant: String!, $email: String!) {
    inviteTenantAdmin(tenant: $tenant, email: $email) {
      email
      tenant
      token
    }
  }
`);

export const PlatformAccountsQuery = graphql(`
  query PlatformAccounts($first: Int!, $after: String) {
    platformAccounts(first: $first, after: $after) {
      items {
        id
        username
        tenant
        enabled
        maxVins
        framesPerSecond
      }
      nextCursor
    }
  }
`);

export const CreatePlatformAccountMutation = graphql(`
  mutation CreatePlatformAccount($username: String!, $password: String!, $tenant: String, $maxVins: Int, $framesPerSecond: Float) {
    createPlatformAccount(username: $username, password: $password, tenant: $tenant, maxVins: $maxVins, framesPerSecond: $framesPerSecond) {
      id
    }
  }
`);

export const PlatformHealthQuery = graphql(`
  query PlatformHealth {
    platformHealth {
      tenants
      activeTenants
      suspendedTenants
      vehicles
      gateways {
        gateway
        reportAgeS
        connections
        spoolRecords
      }
      ingest {
        tenant
        connectedVehicles
        framesPerSecond
        commitLagS
        newestCommitAgeS
      }
    }
    tenants(first: 100) {
      items {
        slug
        name
        status
        vehicleCount
        quotas {
          vehicles
        }
      }
      nextCursor
    }
  }
`);
