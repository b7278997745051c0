// An IAM role for a Kubernetes ServiceAccount (IRSA): trusted by the cluster's OIDC provider for exactly one
// `system:serviceaccount:<namespace>:<name>` with audience sts.amazonaws.com, and nothing else.
import { CfnJson, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The audience the EKS pod identity webhook requests for IRSA tokens. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

export interface IrsaRoleProps {
  readonly roleName: string;
  readonly description: string;
  /** The cluster's IAM OIDC provider (imported, or the one a cluster created here brings). */
  readonly provider: Pick<iam.IOidcProvider, 'openIdConnectProviderArn'>;
  /** The provider's issuer (https:// or not; a token when the cluster is created in the same stack). */
  readonly issuer: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

export function irsaRole(scope: Construct, id: string, props: IrsaRoleProps): iam.Role {
  const host = Token.isUnresolved(props.issuer) ? props.issuer : props.issuer.replace(/^https:\/\//, '');
  const conditions = {
    [`${host}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
    [`${host}:aud`]: STS_AUDIENCE,
  };
  // Condition keys made of a deploy-time value need CloudFormation to build the JSON object.
  const stringEquals = Token.isUnresolved(props.issuer)
    ? new CfnJson(scope, `${id}Conditions`, { value: conditions })
    : conditions;
  return new iam.Role(scope, id, {
    roleName: props.roleName,
    description: props.description,
    assumedBy: new iam.FederatedPrincipal(
      props.provider.openIdConnectProviderArn,
      { StringEquals: stringEquals },
      'sts:AssumeRoleWithWebIdentity',
    ),
  });
}
