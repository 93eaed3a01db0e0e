// The embedded S3 alone in a process of its own, for tests that kill it: `node --import tsx test/s3/s3-child.ts DIR`
// prints `S3_ENDPOINT=<url>` once it serves.
import { startS3Server } from '../../src/emulator/s3/server.js';

const s3 = await startS3Server({ host: '127.0.0.1', port: 0, dataDir: process.argv[2] });
process.stdout.write(`S3_ENDPOINT=${s3.endpoint}\n`);
