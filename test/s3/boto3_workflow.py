# The seed workflow and S3 uploads with boto3 on its default settings, against the emulator (run by boto3.test.ts).
import boto3, json, os, time, hashlib
from botocore.config import Config
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
s3.create_bucket(Bucket="boto-bucket")
data = os.urandom(6 * 1024 * 1024)
s3.put_object(Bucket="boto-bucket", Key="blob", Body=data)
assert s3.get_object(Bucket="boto-bucket", Key="blob")["Body"].read() == data, "put_object bytes differ"
import io
s3.upload_fileobj(io.BytesIO(data * 2), "boto-bucket", "multi")
assert s3.get_object(Bucket="boto-bucket", Key="multi")["Body"].read() == data * 2, "upload_fileobj bytes differ"
# boto3 asks for url-encoded listings and decodes them: odd key names come back as they were put.
odd = ["odd/a b+c (1).jsonl", "odd/nul\x00~*é.jsonl"]
for key in odd: s3.put_object(Bucket="boto-bucket", Key=key, Body=b"x")
assert [o["Key"] for o in s3.list_objects_v2(Bucket="boto-bucket", Prefix="odd/")["Contents"]] == odd, "list_objects_v2 keys differ"
assert [o["Key"] for o in s3.list_objects(Bucket="boto-bucket", Prefix="odd/")["Contents"]] == odd, "list_objects keys differ"
lines = "\n".join(json.dumps({"recordId": f"r{i}", "modelInput": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50, "messages": [{"role": "user", "content": f"hi {i}"}]}}) for i in range(3))
s3.put_object(Bucket="boto-bucket", Key="input.jsonl", Body=lines.encode())
bedrock = boto3.client("bedrock")
job = bedrock.create_model_invocation_job(jobName="boto-job", modelId="anthropic.claude-3-haiku-20240307-v1:0", roleArn="arn:aws:iam::123456789012:role/R",
    inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://boto-bucket/input.jsonl"}}, outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://boto-bucket/out/"}})
for _ in range(100):
    j = bedrock.get_model_invocation_job(jobIdentifier=job["jobArn"])
    if j["status"] in ("Completed", "Failed"): break
    time.sleep(0.1)
print(j["status"], j.get("processedRecordCount"), type(j["submitTime"]))
rt = boto3.client("bedrock-runtime")
r = rt.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}])
print(r["stopReason"], r["usage"])
s = rt.invoke_model_with_response_stream(modelId="anthropic.claude-3-haiku-20240307-v1:0", body=json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}))
print(len(list(s["body"])), "stream events")
try:
    bedrock.get_model_invocation_job(jobIdentifier="BAD")
except bedrock.exceptions.ValidationException as e:
    print("ValidationException ok")
