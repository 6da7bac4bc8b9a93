import { graphql } from "../../gql";

export const UsersQuery = graphql(`
  query Users($first: Int!, $after: String) {
    users(first: $first, after: $after) {
      items {
        id
        email
        displayName
        role
        disabled
        totpEnrolled
        lockedUntil
        createdAt
      }
      nextCursor
    }
  }
`);

export const SetUserRoleMutation = graphql(`
  mutation SetUserRole($userId: Int!, $role: Role!) {
    setUserRole(userId: $userId, role: $role) {
      id
      role
    }
  }
`);

export const SetUserDisabledMutation = graphql(`
  mutation SetUserDisabled($userId: Int!, $disabled: Boolean!) {
    setUserDisabled(userId: $userId, disabled: $disabled) {
      id
      disabled
    }
  }
`);

export const InvitationsQuery = graphql(`
  query Invitations($first: Int!, $after: String) {
    invitations(first: $first, after: $after) {
      items {
        id
        email
        role
        expiresAt
      }
      nextCursor
    }
  }
`);

export const InviteUserMutation = graphql(`
  mutation InviteUser($email: String!, $role: Role!) {
    inviteUser(email: $email, role: $role) {
      invitation {
        id
        email
        role
        expiresAt
      }
      token
    }
  }
`);

export const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($invitationId: Int!) {
    revokeInvitation(invitationId: $invitationId)
  }
`);

export const RolesQuery = graphql(`
  query Roles {
    roles {
      role
      permissions
    }
  }
`);

export const ApiClientsQuery = graphql(`
  query ApiClients($first: Int!, $after: String) {
    apiClients(first: $first, after: $after) {
      items {
        clientId
        name
        scopes
        enabled
      }
      nextCursor
    }
  }
`);

export const CreateApiClientMutation = graphql(`
  mutation CreateApiClient($name: String!, $scopes: [String!]!) {
    createApiClient(name: $name, scopes: $scopes) {
      client {
        clientId
        name
        scopes
        enabled
      }
      clientSecret
    }
  }
`);

export const SetApiClientEnabledMutation = graphql(`
  mutation SetApiClientEnabled($clientId: String!, $enabled: Boolean!) {
    setApiClientEnabled(clientId: $clientId, enabled: $enabled)
  }
`);

export const SupportGrantsQuery = graphql(`
  query SupportGrants {
    supportGrants {
      id
      granteeEmail
      grantedByEmail
      reason
      createdAt
      expiresAt
      revokedAt
    }
  }
`);

export const GrantSupportMutation = graphql(`
  mutation GrantSupport($email: String!, $reason: String!, $hours: Int!) {
    grantSupport(email: $email, reason: $reason, hours: $hours) {
      id
    }
  }
`);

export const RevokeSupportMutation = graphql(`
  mutation RevokeSupport($grantId: Int!) {
    revokeSupport(grantId: $grantId)
  }
`);
