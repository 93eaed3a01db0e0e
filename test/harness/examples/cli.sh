# With the variables `bedrock-batch serve` prints exported (or real AWS credentials and no variables):
bedrock-batch models --region us-east-1
aws s3 mb s3://my-batch-bucket
JOB=$(bedrock-batch submit --model amazon.titan-embed-text-v2:0 --region us-east-1 --input records.jsonl \
  --bucket my-batch-bucket --prefix embeddings --role-arn arn:aws:iam::123456789012:role/BedrockBatchRole \
  --wait | cut -f1)
bedrock-batch status "$JOB"
bedrock-batch list --status Completed
bedrock-batch results "$JOB" --format table
bedrock-batch results "$JOB" > results.jsonl
