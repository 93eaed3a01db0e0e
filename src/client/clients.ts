// The two SDK clients a batch needs. Built with no endpoint or credentials of their own, they follow the SDK's
// configuration chain (AWS_REGION, profiles, AWS_ENDPOINT_URL_BEDROCK / _S3, …): the same code runs against AWS
// and against the emulator.
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { S3Client } from '@aws-sdk/client-s3';

export interface BatchClients {
  bedrock: BedrockClient;
  s3: S3Client;
}

export const defaultClients = (region?: string): BatchClients => ({ bedrock: new BedrockClient({ region }), s3: new S3Client({ region }) });
