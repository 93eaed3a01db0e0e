// The runtime baseline: a bare node:http server that answers each request with a fixed answer — the exact status,
// headers and body the emulator gave for the same path and body (captured by bench/run.ts into the JSON file
// argv[2], keyed by `<path>\n<body>`).
import { readFileSync } from 'node:fs';
import http from 'node:http';

type Answer = { status: number; headers: Record<string, string>; body: string };
const answers = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8')) as Record<string, Answer>));

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const answer = answers.get(`${req.url}\n${body}`);
    if (!answer) return res.writeHead(404).end();
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as { port: number }).port}`));
