// One environment's PostgreSQL on RDS: gp3, encrypted, in the database subnets, TLS forced by its parameter group,
// Performance Insights and automated backups on, Multi-AZ and protection as the settings say, an optional read
// replica. Its credentials are the RDS-attached secret (host, port, dbname, username, password) that the
// ExternalSecret reads, rotated on a schedule. Its security group admits only the cluster's nodes and pods (and the
// rotation function) on the database port.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvironmentSettings } from '../settings/schema';
import { SUBNET_GROUPS } from './network';

/** The engine every environment runs; a major upgrade is a reviewed change here. */
const ENGINE = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_9 });
/** The user RDS creates with the instance; its password lives only in the secret. */
const MASTER_USERNAME = 'hello';

export interface DatabaseProps {
  readonly settings: EnvironmentSettings;
  readonly vpc: ec2.IVpc;
  /** The cluster's node/pod security group: the only client admitted. */
  readonly clients: ec2.ISecurityGroup;
}

export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly secret: secretsmanager.ISecret;
  readonly securityGroup: ec2.SecurityGroup;
  readonly replica?: rds.DatabaseInstanceReadReplica;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const db = props.settings.database;
    const placement = { vpc: props.vpc, vpcSubnets: { subnetGroupName: SUBNET_GROUPS.database } };
    const removal = db.protect ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `PostgreSQL ${db.instanceIdentifier}: from the cluster nodes and pods only`,
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(props.clients, ec2.Port.tcp(db.port), "the cluster's nodes and pods");

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine: ENGINE,
      description: `${db.instanceIdentifier}: TLS required`,
      parameters: { 'rds.force_ssl': '1' },
    });
    const common = {
      ...placement,
      instanceType: new ec2.InstanceType(db.instanceClass),
      securityGroups: [this.securityGroup],
      port: db.port,
      parameterGroup,
      storageType: rds.StorageType.GP3,
      enablePerformanceInsights: true,
      autoMinorVersionUpgrade: true,
      deletionProtection: db.protect,
      removalPolicy: removal,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
    };
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      ...common,
      engine: ENGINE,
      instanceIdentifier: db.instanceIdentifier,
      databaseName: db.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret(MASTER_USERNAME, { secretName: db.secretName }),
      allocatedStorage: db.allocatedStorageGiB,
      maxAllocatedStorage: db.maxAllocatedStorageGiB,
      storageEncrypted: true,
      multiAz: db.multiAz,
      backupRetention: Duration.days(db.backupRetentionDays),
      copyTagsToSnapshot: true,
    });
    this.secret = this.instance.secret!;
    acknowledgeFindings(this.instance, db);
    // The rotation function runs in the node subnets and reaches Secrets Manager through the VPC endpoint; the
    // instance's connections admit its security group on the database port.
    this.instance.addRotationSingleUser({
      automaticallyAfter: Duration.days(db.rotationDays),
      vpcSubnets: { subnetGroupName: SUBNET_GROUPS.nodes },
    });

    if (db.readReplica) {
      // Encryption follows the source instance: setting StorageEncrypted on a replica is rejected.
      this.replica = new rds.DatabaseInstanceReadReplica(this, 'ReadReplica', {
        ...common,
        sourceDatabaseInstance: this.instance,
        instanceIdentifier: `${db.instanceIdentifier}-replica`,
        multiAz: db.multiAz,
      });
      acknowledgeFindings(this.replica, db);
      Validations.of(this.replica).acknowledge({
        id: 'AwsSolutions-RDS2',
        reason:
          "A replica's storage is encrypted with its source's key; CloudFormation rejects StorageEncrypted on a replica.",
      });
    }
  }
}

/** cdk-nag findings this design accepts, each with the reason, and only where the settings make them true. */
function acknowledgeFindings(instance: Construct, db: EnvironmentSettings['database']): void {
  const validations = Validations.of(instance);
  validations.acknowledge({
    id: 'AwsSolutions-RDS11',
    reason:
      'The standard port is kept: the instance sits in subnets with no route out and its security group admits ' +
      "only the cluster's; a moved port hides nothing from a client already inside.",
  });
  if (!db.protect) {
    validations.acknowledge({
      id: 'AwsSolutions-RDS10',
      reason:
        'Settings say protect: false for this environment: it is torn down and rebuilt freely. Prod is protected.',
    });
  }
  if (!db.multiAz) {
    validations.acknowledge({
      id: 'AwsSolutions-RDS3',
      reason:
        'Settings say multiAz: false for this environment (dev): an outage there costs no users. Staging and prod are Multi-AZ.',
    });
  }
}
