import { graphql } from "../gql";

export const MeQuery = graphql(`
  query Me {
    me {
      subject
      role
      tenant
      permissions
      email
      displayName
    }
  }
`);
