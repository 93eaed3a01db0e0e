# In a clone, with `npm start` running in another shell and the variables it prints exported (against AWS: real
# credentials and no variables). Where the package is a dependency, `npx bedrock-batch` is the same command.
npx bedrock-batch models --region us-east-1
aws s3 mb s3://my-batch-bucket
# 100 records, Bedrock's minimum per job (an emulator started with --quota-min-records-per-job N takes N; the CLI
# reads the minimum from the emulator it talks to).
for i in $(seq 100); do echo "{\"recordId\": \"doc-$i\", \"modelInput\": {\"inputText\": \"document $i\"}}"; done > records.jsonl
JOB=$(npx bedrock-batch submit --model amazon.titan-embed-text-v2:0 --region us-east-1 --input records.jsonl \
  --bucket my-batch-bucket --prefix embeddings --role-arn arn:aws:iam::123456789012:role/BedrockBatchRole \
  --wait | cut -f1)
npx bedrock-batch status "$JOB"
npx bedrock-batch list --status Completed
npx bedrock-batch results "$JOB" --format table
npx bedrock-batch results "$JOB" > results.jsonl
