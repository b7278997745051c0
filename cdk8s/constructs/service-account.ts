// The app's ServiceAccount: bound to an IAM role through IRSA (the SecretStore authenticates with it to read the
// database secret from AWS Secrets Manager); pods get no API token, since nothing in them calls the Kubernetes API.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { syncWave } from '../sync-order';

const IRSA_ROLE_ARN = 'eks.amazonaws.com/role-arn';

export interface HelloServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  /** The IAM role the account assumes (IRSA). */
  readonly roleArn: string;
  /** @default no labels */
  readonly labels?: Record<string, string>;
  /** Mount an API token into pods that use the account. @default false */
  readonly automountToken?: boolean;
}

export class HelloServiceAccount extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: HelloServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: { ...syncWave('foundation'), [IRSA_ROLE_ARN]: props.roleArn },
      },
      automountServiceAccountToken: props.automountToken ?? false,
    });
  }
}
